//! The `gongzhu` binary: everything it does is in [`api::ops::cli::main`].

fn main() -> std::process::ExitCode {
    api::ops::cli::main()
}
