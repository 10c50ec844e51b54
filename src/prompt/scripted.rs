//! A prompter that replays a script: for tests of wizard logic without a terminal.

use std::collections::VecDeque;

use super::{Choice, PromptError, Prompter, Question, Validator};

#[derive(Clone, Debug)]
pub enum Reply {
    Text(String),
    /// Picks the choice whose label contains this text.
    Pick(String),
    Confirm(bool),
    /// Picks every choice whose label contains one of these texts.
    PickMany(Vec<String>),
    /// Accepts the default.
    Enter,
}

/// Each step names a fragment of the expected question and the reply to give.
#[derive(Default)]
pub struct ScriptedPrompter {
    steps: VecDeque<(String, Reply)>,
    /// Every question shown, in order, and every validation message.
    pub transcript: Vec<String>,
}

impl ScriptedPrompter {
    pub fn new<I, S>(steps: I) -> Self
    where
        I: IntoIterator<Item = (S, Reply)>,
        S: Into<String>,
    {
        ScriptedPrompter {
            steps: steps.into_iter().map(|(q, r)| (q.into(), r)).collect(),
            transcript: Vec::new(),
        }
    }

    pub fn finished(&self) -> bool {
        self.steps.is_empty()
    }

    fn next(&mut self, q: &Question) -> Result<Reply, PromptError> {
        self.transcript.push(q.message.clone());
        let (expect, reply) = self.steps.pop_front().ok_or_else(|| PromptError::Missing {
            message: q.message.clone(),
            supply: "a scripted reply (the script ran out)".into(),
        })?;
        if !q.message.contains(&expect) {
            return Err(PromptError::Terminal(format!(
                "script expected a question containing {expect:?}, got {:?}",
                q.message
            )));
        }
        Ok(reply)
    }
}

impl Prompter for ScriptedPrompter {
    fn text(
        &mut self,
        q: &Question,
        default: Option<&str>,
        validate: Option<Validator>,
    ) -> Result<String, PromptError> {
        loop {
            let answer = match self.next(q)? {
                Reply::Text(t) => t,
                Reply::Enter => default.unwrap_or_default().to_string(),
                other => {
                    return Err(PromptError::Terminal(format!(
                        "{other:?} for a text question"
                    )));
                }
            };
            match validate.map(|v| v(&answer)).unwrap_or(Ok(())) {
                Ok(()) => return Ok(answer),
                // Like a terminal: show the message and ask again.
                Err(msg) => self.transcript.push(format!("! {msg}")),
            }
        }
    }

    fn select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        default: usize,
    ) -> Result<usize, PromptError> {
        self.transcript
            .extend(choices.iter().map(|c| format!("  {}", c.label)));
        match self.next(q)? {
            Reply::Pick(label) => choices
                .iter()
                .position(|c| c.label.contains(&label))
                .ok_or_else(|| PromptError::Terminal(format!("no choice contains {label:?}"))),
            Reply::Enter => Ok(default),
            other => Err(PromptError::Terminal(format!(
                "{other:?} for a select question"
            ))),
        }
    }

    fn multi_select(
        &mut self,
        q: &Question,
        choices: &[Choice],
        defaults: &[usize],
    ) -> Result<Vec<usize>, PromptError> {
        self.transcript
            .extend(choices.iter().map(|c| format!("  {}", c.label)));
        match self.next(q)? {
            Reply::PickMany(labels) => Ok(choices
                .iter()
                .enumerate()
                .filter(|(_, c)| labels.iter().any(|l| c.label.contains(l.as_str())))
                .map(|(i, _)| i)
                .collect()),
            Reply::Enter => Ok(defaults.to_vec()),
            other => Err(PromptError::Terminal(format!(
                "{other:?} for a multi-select question"
            ))),
        }
    }

    fn confirm(&mut self, q: &Question, default: bool) -> Result<bool, PromptError> {
        match self.next(q)? {
            Reply::Confirm(b) => Ok(b),
            Reply::Enter => Ok(default),
            other => Err(PromptError::Terminal(format!(
                "{other:?} for a confirm question"
            ))),
        }
    }
}
