//! The market's lifecycles: demands, projects and listings, as pure state machines (load →
//! decide here → persist in the API).
