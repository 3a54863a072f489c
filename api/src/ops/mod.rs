//! Operator code: the command line (`gongzhu …`), staff accounts from the shell, backups, and
//! the seed and demo data.

pub mod backup;
pub mod cli;
pub mod demo;
pub mod demo_community;
pub mod demo_tenders;
pub mod seed;
pub mod staff_cli;
