//! Command-line shape (clap derive types only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "authwiz",
    version,
    about = "A fast, scriptable wizard for AWS Amplify (Gen 1) auth workflows",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Project folder (the one that holds amplify/)
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub project_dir: PathBuf,
    /// AWS profile (default: AWS_PROFILE, then the env's stored profile)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region (default: the env's region, then AWS_REGION)
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// AWS endpoint override, e.g. a local emulator (default: AWS_ENDPOINT_URL)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Accept defaults and never prompt; a missing answer is an error naming its flag
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// No colours in the output
    #[arg(long, global = true)]
    pub no_color: bool,
    /// More detail (AWS calls, timings)
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create amplify/ for a new project
    Init(InitArgs),
    /// Manage environments
    #[command(subcommand)]
    Env(EnvCommand),
    /// Show what a push would change
    Status(StatusArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Project name (3-20 letters and digits)
    #[arg(long, value_name = "NAME")]
    pub project_name: Option<String>,
    /// First environment's name (2-10 lowercase letters)
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// javascript, ios, android or flutter
    #[arg(long, value_name = "FRONTEND")]
    pub frontend: Option<String>,
    /// Where the client configuration files go (javascript: SourceDir; android/flutter: ResDir)
    #[arg(long, value_name = "DIR")]
    pub source_dir: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Add an environment and check it out
    Add(EnvAddArgs),
    /// Switch to another environment
    Checkout {
        /// Environment name
        name: String,
    },
    /// List environments
    #[command(alias = "ls")]
    List {
        /// Show each environment's records
        #[arg(long)]
        details: bool,
        /// Machine-readable output on stdout
        #[arg(long)]
        json: bool,
    },
    /// Remove an environment's local records (no cloud resource is touched)
    Remove {
        /// Environment name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct EnvAddArgs {
    /// Environment name (2-10 lowercase letters)
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Machine-readable output on stdout
    #[arg(long)]
    pub json: bool,
}
