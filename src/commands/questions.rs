//! Questions more than one command asks.

use crate::cli::WalkFlags;
use crate::error::Result;
use crate::prompt::{Asker, Choice, Question, invalid};

pub(crate) fn region_question() -> Question {
    Question::new("region", "Select the AWS region", "--region REGION")
}

/// The region question (init and env add): a given `--region` must be one of
/// `regions` (else the error names the nearest ones), `--yes` takes `default`.
pub(crate) fn ask_region(asker: &mut Asker, regions: &[String], default: usize) -> Result<String> {
    let q = region_question();
    if let Some(given) = asker.given("region")
        && !regions.iter().any(|r| r == given)
    {
        return Err(invalid(&q, crate::cloud::unknown_region(given)).into());
    }
    let choices: Vec<Choice> = regions.iter().map(|r| Choice::new(r, r)).collect();
    Ok(regions[asker.select(&q, &choices, default)?].clone())
}

/// The walkthrough flags of `add auth` / `update auth` as pre-given answers
/// (each flag's name is its question's id).
pub(crate) fn give_walk_flags<const UPDATE: bool>(asker: &mut Asker, flags: &WalkFlags<UPDATE>) {
    for (id, value) in &flags.given {
        asker.give(id, Some(value.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::auth::managed::questions::{ADD_AUTH, UPDATE_AUTH};
    use crate::cli::{AddCommand, Cli, Command, UpdateCommand};
    use crate::prompt::NoTerminal;

    /// Whether `authwiz <args> --<id> x` parses and pre-answers question `id`.
    fn given_by(args: &[&str], id: &str) -> bool {
        let flag = format!("--{id}");
        let mut argv = vec!["authwiz"];
        argv.extend_from_slice(args);
        argv.extend([flag.as_str(), "x"]);
        let Ok(cli) = Cli::try_parse_from(argv) else {
            return false;
        };
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        match cli.command {
            Command::Add(AddCommand::Auth(a)) => give_walk_flags(&mut asker, &a.answers),
            Command::Update(UpdateCommand::Auth(a)) => give_walk_flags(&mut asker, &a.answers),
            _ => return false,
        }
        asker.is_given(id)
    }

    #[test]
    fn every_question_has_a_flag_of_its_command_that_answers_it() {
        for (args, table) in [
            (["add", "auth"], ADD_AUTH),
            (["update", "auth"], UPDATE_AUTH),
        ] {
            for spec in table {
                assert!(
                    given_by(&args, spec.id),
                    "{args:?}: --{} answers nothing",
                    spec.id
                );
            }
        }
    }
}
