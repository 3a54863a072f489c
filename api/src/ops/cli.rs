//! Command-line sub-commands of the `gongzhu` binary and its entry ([`main`], which the test
//! crate's `gongzhu-test-server` runs too). Shell access is the operator's trust root: these
//! commands act on the configured database directly.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, redact_url};
use crate::db::{Db, DbTarget};
use crate::ops::backup;

/// Gongzhu 共筑 — cooperation platform for the construction industry.
#[derive(Debug, Parser)]
#[command(name = "gongzhu", version)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the SPA (migrations are applied at start).
    Serve {
        /// Load demo people first if the database has none.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Load demo data (realistic Chinese people) into the database.
    DemoData,
    /// Generate verified organisations, published projects and listings in bulk (benchmarks);
    /// they belong to an account that cannot sign in.
    Seed {
        /// Organisations to generate.
        #[arg(long, default_value_t = 100_000)]
        organisations: usize,
        /// Projects to generate.
        #[arg(long, default_value_t = 100_000)]
        projects: usize,
        /// Listings to generate.
        #[arg(long, default_value_t = 100_000)]
        listings: usize,
        /// Generator seed (the same seed gives the same data).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write a consistent snapshot of the SQLite database while the server runs.
    Backup {
        /// Destination file (must not exist).
        dest: PathBuf,
    },
    /// Replace the SQLite database with a backup; refuses while a server uses it.
    Restore {
        /// Backup file made by `backup`.
        source: PathBuf,
    },
    /// Print the OpenAPI document (as committed in openapi/openapi.json).
    Openapi,
    /// Give an account a platform staff role, creating the account (with a printed one-time
    /// password) if no account has this login. Shell access is the trust root for staff.
    CreateStaff {
        /// E-mail address or mobile number.
        #[arg(long)]
        login: String,
        /// operator, reviewer, mediator, finance_officer or admin.
        #[arg(long)]
        role: String,
        /// Display name for a new account.
        #[arg(long, default_value = "平台管理员")]
        name: String,
    },
    /// Verify the audit log's hash chain; exits non-zero and names the first broken entry.
    AuditVerify,
    /// Reconcile the escrow ledger: every account's cached balance equals the sum of its
    /// postings (numbered without gaps), every transaction sums to zero, no user account is
    /// negative, all balances sum to zero; exits non-zero and names the first discrepancy.
    LedgerCheck,
    /// List recent outbox messages (SMS / e-mail), e.g. to read a one-time code on a
    /// deployment without gateways.
    Outbox {
        /// Only messages to this address or phone number.
        #[arg(long)]
        to: Option<String>,
        /// How many to show.
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

type CliResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The binary: loads the configuration and runs a sub-command (default: serve).
pub fn main() -> std::process::ExitCode {
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

/// Serves until SIGINT or SIGTERM; prints the bound address once listening.
fn serve(config: Config, demo: bool) -> CliResult {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let database = redact_url(&config.database_url());
        let cfg = config.clone();
        let bound = crate::server::bind(config).await?;
        if demo {
            match crate::ops::demo::load_if_empty(&bound.state().db, &cfg)? {
                Some(password) => {
                    bound.state().reload_catalogue()?;
                    println!("demo people loaded; each signs in with the password: {password}");
                }
                None => println!("database already has people; demo data not loaded"),
            }
        }
        println!("Gongzhu 共筑 is serving at http://{} (database {database})", bound.addr);
        bound.serve(crate::server::shutdown_signal()).await?;
        Ok(())
    })
}

/// Runs a non-serving command.
pub fn run_offline(command: Command, config: Config) -> CliResult {
    match command {
        Command::Serve { .. } => Err("serve runs on the async runtime".into()),
        Command::Openapi => {
            print!("{}", crate::routes::spec_json());
            Ok(())
        }
        Command::Restore { source } => {
            let DbTarget::Sqlite(target) = DbTarget::parse(&config.database_url())? else {
                return Err("restore of PostgreSQL is done with pg_restore (see README)".into());
            };
            let kept = backup::restore(&source, &target)?;
            println!(
                "restored {} into {}; the previous database is kept as {}",
                source.display(),
                target.display(),
                kept.display()
            );
            Ok(())
        }
        Command::Migrate => {
            open(&config)?;
            println!("migrations applied");
            Ok(())
        }
        Command::Backup { dest } => {
            backup::backup(&open(&config)?, &dest)?;
            println!("backup written to {}", dest.display());
            Ok(())
        }
        Command::Seed { organisations, projects, listings, seed } => {
            let db = open(&config)?;
            let mut conn = db.get()?;
            let at = crate::db::now();
            let owner = crate::ops::seed::owner_account(&mut conn, "共筑基准数据", at)?;
            let existing: i64 = {
                use diesel::prelude::*;
                crate::db::schema::organisations::table.count().get_result(&mut conn)?
            };
            let base = 10_000_000 + u32::try_from(existing).unwrap_or(0);
            let plan = crate::ops::seed::SeedPlan { organisations, projects, listings, seed };
            let (seeded, _) = crate::ops::seed::seed(&mut conn, &owner, plan, base, at)?;
            println!("seeded {seeded:?}");
            Ok(())
        }
        Command::DemoData => {
            let password = crate::ops::demo::load(&open(&config)?, &config)?;
            println!("demo people loaded; each signs in with the password: {password}");
            Ok(())
        }
        Command::CreateStaff { login, role, name } => {
            let db = open(&config)?;
            let (user, password) = crate::ops::staff_cli::create_staff(&db, &config, &login, &role, &name)?;
            match password {
                Some(password) => println!(
                    "created account {user} ({login}) with role {role}; one-time password: {password}\n\
                     sign in, change the password and turn on two-factor authentication before any staff action"
                ),
                None => println!("granted role {role} to the existing account {user} ({login})"),
            }
            Ok(())
        }
        Command::LedgerCheck => {
            let db = open(&config)?;
            match crate::db::models::ledger::check(&mut *db.get()?)? {
                Ok(summary) => {
                    println!(
                        "ledger balanced: {} accounts, {} postings, {} transactions",
                        summary.accounts, summary.postings, summary.transactions
                    );
                    Ok(())
                }
                Err(discrepancy) => Err(format!("ledger discrepancy: {discrepancy}").into()),
            }
        }
        Command::AuditVerify => {
            let db = open(&config)?;
            let report = crate::db::models::audit::verify(&mut *db.get()?)?;
            match report.first_break {
                None => {
                    println!("audit chain intact: {} entries", report.entries);
                    Ok(())
                }
                Some(b) => Err(format!(
                    "audit chain broken at entry {} (id {}): {}; the {} entries before it are intact",
                    b.seq,
                    b.id.as_deref().unwrap_or("-"),
                    b.problem,
                    report.entries
                )
                .into()),
            }
        }
        Command::Outbox { to, limit } => {
            let db = open(&config)?;
            let mut conn = db.get()?;
            for m in crate::db::models::outbox::OutboxMessage::recent(&mut conn, to.as_deref(), limit)? {
                println!(
                    "{}  {:<5} {:<28} [{}] {}",
                    m.created_at.format("%Y-%m-%d %H:%M:%S"),
                    m.channel,
                    m.destination,
                    m.status,
                    m.body
                );
            }
            Ok(())
        }
    }
}

fn open(config: &Config) -> Result<Db, Box<dyn std::error::Error + Send + Sync>> {
    Ok(Db::open(DbTarget::parse(&config.database_url())?, 2)?)
}
