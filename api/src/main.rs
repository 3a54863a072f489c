//! The `gongzhu` binary: loads the configuration and runs a sub-command (default: serve).

use api::config::{Config, redact_url};
use api::ops::cli::{Cli, Command, run_offline};
use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("gongzhu: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(config, demo),
        other => run_offline(other, config),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongzhu: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn serve(config: Config, demo: bool) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let database = redact_url(&config.database_url());
        let cfg = config.clone();
        let bound = api::server::bind(config).await?;
        if demo {
            match api::ops::demo::load_if_empty(&bound.state().db, &cfg)? {
                Some(password) => {
                    bound.state().reload_catalogue()?;
                    println!("demo people loaded; each signs in with the password: {password}");
                }
                None => println!("database already has people; demo data not loaded"),
            }
        }
        println!("Gongzhu 共筑 is serving at http://{} (database {database})", bound.addr);
        bound.serve(api::server::shutdown_signal()).await?;
        Ok(())
    })
}
