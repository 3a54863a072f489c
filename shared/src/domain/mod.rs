//! Pure domain rules of Gongzhu: business calendar, matching engine, credit model,
//! membership tiers and the dispute workflow. No I/O, no clock reads: `now` is passed in.
