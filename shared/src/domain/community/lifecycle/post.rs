//! Posts and replies held for review, and the accepted answer. A post or reply with a banned
//! word is held: only its author and the admins see it until an admin publishes or deletes it;
//! nobody replies to a held post and it is not curated. A question's asker accepts one
//! published reply as the answer, once; an accepted answer stays unless an admin deletes it.

use super::Refusal;
use crate::dto::{PostKind, PostStatus};

/// The status of a new post or reply: held when it contains banned words.
#[must_use]
pub fn initial_status(has_banned_words: bool) -> PostStatus {
    if has_banned_words { PostStatus::Held } else { PostStatus::Published }
}

/// What an admin does with something held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Publish it.
    Publish,
    /// Delete it.
    Delete,
}

/// What is reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewed {
    /// A post.
    Post,
    /// A reply.
    Reply,
}

/// The status after a review.
///
/// # Errors
/// [`Refusal::PostNotHeld`] / [`Refusal::ReplyNotHeld`] unless it is held.
pub fn review(what: Reviewed, current: PostStatus, review: Review) -> Result<PostStatus, Refusal> {
    if current != PostStatus::Held {
        return Err(match what {
            Reviewed::Post => Refusal::PostNotHeld,
            Reviewed::Reply => Refusal::ReplyNotHeld,
        });
    }
    Ok(match review {
        Review::Publish => PostStatus::Published,
        Review::Delete => PostStatus::Deleted,
    })
}

/// Whether a post takes replies.
///
/// # Errors
/// [`Refusal::PostHeld`] unless it is published.
pub fn may_reply(post: PostStatus) -> Result<(), Refusal> {
    if post == PostStatus::Published { Ok(()) } else { Err(Refusal::PostHeld) }
}

/// Whether a post may be pinned, featured or put into the FAQ.
///
/// # Errors
/// [`Refusal::ReviewHeldFirst`] unless it is published.
pub fn may_curate(post: PostStatus) -> Result<(), Refusal> {
    if post == PostStatus::Published { Ok(()) } else { Err(Refusal::ReviewHeldFirst) }
}

/// What the server knows of a question when someone accepts an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The post's kind.
    pub kind: PostKind,
    /// The caller asked it.
    pub asked_by_caller: bool,
    /// An answer was accepted already.
    pub answered: bool,
}

/// Whether the caller may accept an answer to this post.
///
/// # Errors
/// [`Refusal::NotTheAsker`], [`Refusal::NotAQuestion`], [`Refusal::AnswerAlreadyAccepted`].
pub fn may_accept(question: Question) -> Result<(), Refusal> {
    if !question.asked_by_caller {
        return Err(Refusal::NotTheAsker);
    }
    if question.kind != PostKind::Question {
        return Err(Refusal::NotAQuestion);
    }
    if question.answered {
        return Err(Refusal::AnswerAlreadyAccepted);
    }
    Ok(())
}

/// Whether a reply that is the accepted answer may be deleted by the caller (only an admin;
/// the post then loses its answer and its FAQ place). `Ok(true)`: it was the answer.
///
/// # Errors
/// [`Refusal::AcceptedAnswerStays`] for its author.
pub fn may_delete_reply(accepted: bool, admin: bool) -> Result<bool, Refusal> {
    if accepted && !admin { Err(Refusal::AcceptedAnswerStays) } else { Ok(accepted) }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use PostStatus::{Deleted, Held, Published};

    #[rstest]
    #[case(Reviewed::Post, Held, Review::Publish, Ok(Published))]
    #[case(Reviewed::Post, Held, Review::Delete, Ok(Deleted))]
    #[case(Reviewed::Post, Published, Review::Publish, Err(Refusal::PostNotHeld))]
    #[case(Reviewed::Post, Deleted, Review::Delete, Err(Refusal::PostNotHeld))]
    #[case(Reviewed::Reply, Held, Review::Publish, Ok(Published))]
    #[case(Reviewed::Reply, Held, Review::Delete, Ok(Deleted))]
    #[case(Reviewed::Reply, Published, Review::Delete, Err(Refusal::ReplyNotHeld))]
    #[case(Reviewed::Reply, Deleted, Review::Publish, Err(Refusal::ReplyNotHeld))]
    fn only_what_is_held_is_reviewed(
        #[case] what: Reviewed,
        #[case] from: PostStatus,
        #[case] action: Review,
        #[case] expected: Result<PostStatus, Refusal>,
    ) {
        assert_eq!(review(what, from, action), expected);
    }

    #[test]
    fn a_banned_word_holds_a_post_for_review() {
        assert_eq!(initial_status(true), Held);
        assert_eq!(initial_status(false), Published);
    }

    #[rstest]
    #[case(Published, true)]
    #[case(Held, false)]
    #[case(Deleted, false)]
    fn only_a_published_post_takes_replies_and_curation(#[case] status: PostStatus, #[case] ok: bool) {
        assert_eq!(may_reply(status).is_ok(), ok);
        assert_eq!(may_curate(status).is_ok(), ok);
        assert_eq!(may_reply(Held), Err(Refusal::PostHeld));
        assert_eq!(may_curate(Held), Err(Refusal::ReviewHeldFirst));
    }

    fn question(kind: PostKind, asked_by_caller: bool, answered: bool) -> Question {
        Question { kind, asked_by_caller, answered }
    }

    #[rstest]
    #[case(question(PostKind::Question, true, false), Ok(()))]
    #[case(question(PostKind::Question, false, false), Err(Refusal::NotTheAsker))]
    #[case(question(PostKind::Discussion, false, false), Err(Refusal::NotTheAsker))]
    #[case(question(PostKind::Discussion, true, false), Err(Refusal::NotAQuestion))]
    #[case(question(PostKind::Announcement, true, false), Err(Refusal::NotAQuestion))]
    #[case(question(PostKind::Question, true, true), Err(Refusal::AnswerAlreadyAccepted))]
    fn the_asker_accepts_one_answer_to_a_question(
        #[case] q: Question,
        #[case] expected: Result<(), Refusal>,
    ) {
        assert_eq!(may_accept(q), expected);
    }

    #[rstest]
    #[case(false, false, Ok(false))]
    #[case(false, true, Ok(false))]
    #[case(true, true, Ok(true))]
    #[case(true, false, Err(Refusal::AcceptedAnswerStays))]
    fn an_accepted_answer_stays_unless_an_admin_deletes_it(
        #[case] accepted: bool,
        #[case] admin: bool,
        #[case] expected: Result<bool, Refusal>,
    ) {
        assert_eq!(may_delete_reply(accepted, admin), expected);
    }
}
