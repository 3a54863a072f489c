//! The `gongzhu` binary built with the `test-clock` feature: the second, third… server process
//! of tests that need several (configured through `GONGZHU_*` variables like the real one).

fn main() -> std::process::ExitCode {
    api::ops::cli::main()
}
