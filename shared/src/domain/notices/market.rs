//! The notifications of the market: demands, invitations, projects, organisations.
