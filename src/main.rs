use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use authwiz::cli::Cli;
use authwiz::commands::{self, Context};
use authwiz::prompt::{InquirePrompter, NoTerminal, Prompter};
use authwiz::ui::Ui;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (color, forced) = cli
        .global
        .color
        .decide(cli.global.no_color, std::env::var_os("NO_COLOR").is_some());
    if forced {
        console::set_colors_enabled_stderr(true);
    }
    let ctx = Context::from_global(&cli.global, Ui::terminal(color, cli.global.verbose));
    // Prompt only when someone can answer: a terminal on both ends and no --yes.
    let interactive =
        !cli.global.yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut prompter: Box<dyn Prompter> = if interactive {
        Box::new(InquirePrompter)
    } else {
        Box::new(NoTerminal)
    };
    let result = commands::run(cli.command, &ctx, prompter.as_mut());
    let written = ctx.ui.machine_output_result();
    match (result, written) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(e), _) => {
            ctx.ui.error(e.to_string());
            if let Some(detail) = e.detail().filter(|_| ctx.ui.verbose) {
                ctx.ui.line(format!("   Cause: {detail}"));
            }
            ExitCode::from(if e.is_usage() { 2 } else { 1 })
        }
        (Ok(()), Err(e)) => {
            ctx.ui.error(format!(
                "Could not write the output to stdout: {e}\nCheck where stdout goes (a full disk, a closed pipe) and run the command again."
            ));
            ExitCode::from(1)
        }
    }
}
