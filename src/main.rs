use std::process::ExitCode;

use clap::Parser;
use recordsdesk::cli::{run, Cli};
use recordsdesk::config::Settings;

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    match Settings::load() {
        Ok(settings) => run(cli, settings),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
