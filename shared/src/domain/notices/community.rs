//! The notifications of the community: groups, posts, moderation, events, rewards.
