//! The `add auth` and `update auth` walkthroughs as data: question specs
//! (Amplify 14.2.2's prompts, choices, defaults, conditions and validations, from
//! its `supported-services`, string maps and walkthrough, and the fixture
//! transcripts) and one table of them per command, in [`table`]. The specs drive
//! the prompts, the `--yes` defaults and the flags (each spec names its flag, its
//! `--help` line and value; a flag's value is the choice's `value`, or the text;
//! `cli` builds the commands' flags from the tables), and name the AddAuthRequest /
//! UpdateAuthRequest key that answers the same thing headlessly. [`walk`] asks the questions whose
//! condition holds, in table order; it never prints, it tells through [`Notices`].

mod base;
mod rules;
mod table;
mod triggers;

pub use base::{ACTION, ADVANCED, DEFAULT_CONFIG, LAMBDA_TRIGGERS};
pub use rules::extract_apple_private_key;
pub use table::*;
pub use triggers::{
    CAPABILITIES_ID, EXISTING, TRIGGER_FUNCTION, TRIGGER_MODULES, TRIGGERS,
    current_answers as current_trigger_answers, selection as trigger_selection, split_pair,
};

use crate::notice::{Notice, Notices};
use crate::prompt::{Asker, Choice, PromptError, Question, Validator, invalid};

use super::super::error::AuthError;

/// How a question is answered.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// One choice (a list prompt).
    One,
    /// Any number of choices (a checkbox prompt); a flag gives them comma-separated.
    Many,
    /// A typed answer.
    Text,
    /// Yes or no (`yes` / `no` in the answers).
    Confirm,
    /// Typed answers until "Do you want to add another <noun>" is answered No; a
    /// flag gives them comma-separated.
    Loop {
        another: &'static str,
        /// When this holds the loop opens with the "add another" question, so it
        /// may add nothing (e.g. more groups besides the existing ones).
        optional: fn(&Walk) -> bool,
    },
    /// One typed answer for each value of the earlier answer `of`, asked as
    /// "<message> <value>"; a flag gives them comma-separated, in that order.
    Each { of: &'static str },
    /// The choices in the order the user gives; Enter keeps the shown order.
    Order,
    /// One answer for each of the targets `of` gives (value, label), asked as
    /// "<message> <label>": a choice of `choices(value)` (several), or typed.
    /// Recorded, and given by a flag, as `value=answer` pairs, comma-separated.
    PerValue {
        of: fn(&Walk) -> Vec<(String, String)>,
        choices: Option<PerValueChoices>,
    },
}

/// The choices of one target of a [`Kind::PerValue`] question.
pub type PerValueChoices = fn(&str) -> Vec<Choice>;

/// One choice: what the prompt shows and what a flag (and the answers) call it.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    pub label: &'static str,
    pub value: &'static str,
}

pub(crate) const fn opt(label: &'static str, value: &'static str) -> Opt {
    Opt { label, value }
}

/// The choices of a question.
#[derive(Clone, Copy)]
pub enum Choices {
    Fixed(&'static [Opt]),
    /// Computed from the answers so far or the resource's current settings.
    From(fn(&Walk) -> Vec<Choice>),
}

/// What Enter and `--yes` pick when nothing was given.
#[derive(Clone, Copy)]
pub enum Default {
    Values(&'static [&'static str]),
    From(fn(&Walk) -> Vec<String>),
    /// Nothing stands in: under `--yes` a missing answer is an error naming the flag.
    Required,
}

/// A flag's line in `--help`.
#[derive(Clone, Copy, Debug)]
pub enum Help {
    /// The question's message in quotes between two texts (`Manual: "…" (1-3650)`).
    Prompt(&'static str, &'static str),
    /// A line of its own, where the message does not say what the flag gives.
    Text(&'static str),
}

/// A check of a question's answer in context: `Err` says what is wrong.
pub type Check = fn(&Walk, &[String]) -> Result<(), String>;

/// One question of the walkthrough.
#[derive(Clone, Copy)]
pub struct Spec {
    /// Key of the answers and of the pre-given values: the flag's name without
    /// dashes. Variants of one question (add / update wording) share it.
    pub id: &'static str,
    /// Lines shown before the prompt (Amplify's `prefix`).
    pub prefix: &'static [&'static str],
    pub message: &'static str,
    pub kind: Kind,
    pub choices: Choices,
    /// Under `update auth` the resource's current value comes first.
    pub default: Default,
    /// Amplify's help text: adds the "I want to learn more." choice, which shows
    /// it and asks again.
    pub learn_more: Option<&'static str>,
    /// A line under the prompt.
    pub hint: Option<fn(&Walk) -> Option<String>>,
    /// Asked only when this holds.
    pub when: fn(&Walk) -> bool,
    /// The rule of each typed value (the prompt shows its message and asks again).
    pub rule: Option<Validator>,
    /// A check of the whole answer in context (a prompt asks again; a flag is an error).
    pub check: Option<Check>,
    /// The typed answer is a secret (masked in a terminal).
    pub secret: bool,
    /// Values that authwiz does not build here: the reason and the way around.
    pub refuse: &'static [(&'static str, &'static str)],
    /// The flag that answers it and its value, as errors show it
    /// (`--mfa off|on|optional`, `--group-names LIST (or --user-pool-groups no)`);
    /// `--help` shows the word after the name (`LIST` for a list).
    pub flag: &'static str,
    /// The flag's line in `--help` (a question asked in two wordings: the
    /// first wording's).
    pub help: Help,
    /// The AddAuthRequest / UpdateAuthRequest (version 2) key that answers the
    /// same thing, if any.
    pub headless_key: Option<&'static str>,
}

/// The choice that shows a question's help text.
pub const LEARN_MORE: Opt = opt("I want to learn more.", "learnMore");

/// The answers so far, by question id, in the order they were given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers(Vec<(&'static str, Vec<String>)>);

impl Answers {
    /// The single answer of a one-choice or text question.
    pub fn one(&self, id: &str) -> Option<&str> {
        self.many(id).and_then(|v| v.first()).map(String::as_str)
    }

    pub fn many(&self, id: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v.as_slice())
    }

    /// Whether the answer to `id` is `value` (for a list, contains it).
    pub fn is(&self, id: &str, value: &str) -> bool {
        self.many(id).is_some_and(|v| v.iter().any(|x| x == value))
    }

    pub fn set(&mut self, id: &'static str, values: Vec<String>) {
        self.0.retain(|(k, _)| *k != id);
        self.0.push((id, values));
    }
}

/// What the walkthrough knows besides the answers.
#[derive(Clone, Debug, Default)]
pub struct Setting {
    pub project_name: String,
    /// Amplify's `sharedId` (8 hex characters) of the resource being added.
    pub shared_id: String,
    /// The project's frontend (`javascript`, `ios`, ...).
    pub frontend: String,
    /// `update auth`: the resource's settings as answers (Amplify's
    /// `updatingAuth`): the questions' defaults, and what some choices start from.
    pub current: Option<Answers>,
}

/// The walkthrough so far: what conditions, defaults and checks see.
pub struct Walk<'s> {
    pub answers: Answers,
    pub setting: &'s Setting,
}

impl Walk<'_> {
    pub fn one(&self, id: &str) -> Option<&str> {
        self.answers.one(id)
    }

    pub fn many(&self, id: &str) -> &[String] {
        self.answers.many(id).unwrap_or_default()
    }

    pub fn is(&self, id: &str, value: &str) -> bool {
        self.answers.is(id, value)
    }

    pub fn updating(&self) -> bool {
        self.setting.current.is_some()
    }

    /// The resource's current value of `id` (`update auth` only).
    pub fn current(&self, id: &str) -> &[String] {
        self.setting
            .current
            .as_ref()
            .and_then(|c| c.many(id))
            .unwrap_or_default()
    }
}

impl Spec {
    /// The flag's line in `--help`.
    pub fn help_line(&self) -> String {
        match self.help {
            Help::Prompt(before, after) => {
                format!("{before}\"{}\"{after}", self.message.trim_end())
            }
            Help::Text(text) => text.to_string(),
        }
    }

    /// The flag's value as `--help` names it: the words of a one-choice flag
    /// (`off|on|optional`), `LIST` for a comma-separated list, else the
    /// placeholder (`NAME`).
    pub fn value_name(&self) -> &'static str {
        match self.kind {
            Kind::Many
            | Kind::Loop { .. }
            | Kind::Each { .. }
            | Kind::Order
            | Kind::PerValue { .. } => "LIST",
            Kind::One | Kind::Text | Kind::Confirm => {
                self.flag.split_whitespace().nth(1).unwrap_or_default()
            }
        }
    }

    fn question(&self, w: &Walk) -> Question {
        let mut q = Question::new(self.id, self.message, self.flag);
        if let Some(hint) = self.hint.and_then(|h| h(w)) {
            q = q.help(hint);
        }
        if self.secret {
            q = q.secret();
        }
        q
    }

    fn options(&self, w: &Walk) -> Vec<Choice> {
        match self.choices {
            Choices::Fixed(opts) => opts.iter().map(|o| Choice::new(o.label, o.value)).collect(),
            Choices::From(f) => f(w),
        }
    }

    /// The default values: the resource's current ones while updating, else the spec's.
    fn defaults(&self, w: &Walk) -> Option<Vec<String>> {
        if let Some(current) = w.setting.current.as_ref().and_then(|c| c.many(self.id)) {
            return Some(current.to_vec());
        }
        match self.default {
            Default::Values(v) => Some(v.iter().map(|s| s.to_string()).collect()),
            Default::From(f) => Some(f(w)),
            Default::Required => None,
        }
    }

    /// Asks once; `None` when "I want to learn more." was picked.
    fn ask_once(
        &self,
        w: &Walk,
        asker: &mut Asker,
        prompting: bool,
    ) -> Result<Option<Vec<String>>, PromptError> {
        let mut q = self.question(w);
        let defaults = self.defaults(w);
        if defaults.is_none() {
            q = q.required();
        }
        let defaults = defaults.unwrap_or_default();
        let given = asker.given(self.id).map(str::to_string);
        Ok(Some(match self.kind {
            Kind::One | Kind::Many => {
                let mut choices = self.options(w);
                if prompting && self.learn_more.is_some() {
                    choices.push(Choice::new(LEARN_MORE.label, LEARN_MORE.value));
                }
                let default_indexes: Vec<usize> = defaults
                    .iter()
                    .filter_map(|d| choices.iter().position(|c| &c.value == d))
                    .collect();
                let picked = if matches!(self.kind, Kind::One) {
                    let default = default_indexes.first().copied().unwrap_or(0);
                    vec![asker.select(&q, &choices, default)?]
                } else {
                    asker.multi_select(&q, &choices, &default_indexes)?
                };
                if picked.iter().any(|&i| choices[i].value == LEARN_MORE.value) {
                    return Ok(None);
                }
                picked
                    .into_iter()
                    .map(|i| choices[i].value.clone())
                    .collect()
            }
            Kind::Text => vec![asker.text(&q, defaults.first().map(String::as_str), self.rule)?],
            Kind::Confirm => {
                let yes = asker.confirm(&q, defaults.first().is_some_and(|d| d == "yes"))?;
                vec![if yes { "yes" } else { "no" }.to_string()]
            }
            Kind::Loop { another, optional } => {
                let optional = optional(w);
                if let Some(list) = given {
                    let values = self.given_list(&q, &list)?;
                    if values.is_empty() && !optional {
                        return Err(invalid(&q, "give at least one value".into()));
                    }
                    return Ok(Some(values));
                }
                if !asker.can_ask() && optional {
                    return Ok(Some(Vec::new()));
                }
                let more = Question::new(
                    "another",
                    format!("Do you want to add another {another}"),
                    self.flag,
                );
                let mut values = Vec::new();
                if optional && !asker.confirm(&more, false)? {
                    return Ok(Some(values));
                }
                loop {
                    values.push(asker.text(&q, None, self.rule)?);
                    if !asker.confirm(&more, false)? {
                        break values;
                    }
                }
            }
            Kind::Each { of } => {
                let targets = w.many(of).to_vec();
                if let Some(list) = given {
                    let values = self.given_list(&q, &list)?;
                    if values.len() != targets.len() {
                        return Err(invalid(
                            &q,
                            format!(
                                "give {} value(s), one for each of: {}",
                                targets.len(),
                                targets.join(", ")
                            ),
                        ));
                    }
                    return Ok(Some(values));
                }
                let mut values = Vec::new();
                for target in &targets {
                    let each = Question {
                        message: format!("{} {target}", self.message),
                        ..q.clone()
                    };
                    values.push(asker.text(&each, None, self.rule)?);
                }
                values
            }
            Kind::Order => split_list(&asker.text(&q, Some(&defaults.join(", ")), None)?),
            Kind::PerValue { of, choices } => {
                self.per_value(&q, (of(w), choices), &defaults, asker, given)?
            }
        }))
    }

    /// A [`Kind::PerValue`] answer: `value=answer` pairs for each target.
    fn per_value(
        &self,
        q: &Question,
        (targets, choices): (Vec<(String, String)>, Option<PerValueChoices>),
        defaults: &[String],
        asker: &mut Asker,
        given: Option<String>,
    ) -> Result<Vec<String>, PromptError> {
        let names: Vec<&str> = targets.iter().map(|(v, _)| v.as_str()).collect();
        if let Some(list) = given {
            let pairs = split_list(&list);
            for p in &pairs {
                let Some((target, answer)) = split_pair(p) else {
                    return Err(invalid(q, format!("'{p}' is not TARGET=VALUE")));
                };
                if !names.contains(&target) {
                    return Err(invalid(
                        q,
                        format!("'{target}' is none of {}", names.join(", ")),
                    ));
                }
                let known = match choices {
                    Some(f) => f(target).iter().any(|c| c.value == answer),
                    None => self.rule.is_none_or(|r| r(answer).is_ok()),
                };
                if !known {
                    let why = match (choices, self.rule) {
                        (Some(f), _) => format!(
                            "'{answer}' is not one of: {}",
                            f(target)
                                .iter()
                                .map(|c| c.value.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        (None, Some(r)) => r(answer).err().unwrap_or_default(),
                        (None, None) => String::new(),
                    };
                    return Err(invalid(q, format!("{target}: {why}")));
                }
            }
            if let Some(missing) = names.iter().find(|n| {
                !pairs
                    .iter()
                    .any(|p| split_pair(p).is_some_and(|(t, _)| t == **n))
            }) {
                return Err(invalid(q, format!("give a value for {missing}")));
            }
            return Ok(pairs);
        }
        let mut out = Vec::new();
        for (target, label) in &targets {
            let each = Question {
                message: format!("{} {label}", self.message),
                ..q.clone()
            };
            let mine: Vec<&str> = defaults
                .iter()
                .filter_map(|d| split_pair(d))
                .filter(|(t, _)| t == target)
                .map(|(_, v)| v)
                .collect();
            match choices {
                Some(f) => {
                    let options = f(target);
                    let at: Vec<usize> = mine
                        .iter()
                        .filter_map(|d| options.iter().position(|c| c.value == *d))
                        .collect();
                    loop {
                        let picked = asker.multi_select(&each, &options, &at)?;
                        if picked.is_empty() {
                            continue;
                        }
                        out.extend(
                            picked
                                .into_iter()
                                .map(|i| format!("{target}={}", options[i].value)),
                        );
                        break;
                    }
                }
                None => {
                    let v = asker.text(&each, mine.first().copied(), self.rule)?;
                    out.push(format!("{target}={v}"));
                }
            }
        }
        Ok(out)
    }

    /// A comma-separated flag value, each part checked by the rule.
    fn given_list(&self, q: &Question, list: &str) -> Result<Vec<String>, PromptError> {
        let values = split_list(list);
        if let Some(rule) = self.rule {
            for v in &values {
                rule(v).map_err(|reason| invalid(q, format!("'{v}': {reason}")))?;
            }
        }
        Ok(values)
    }

    /// Asks until an answer passes; the help text and validation messages go to `notices`.
    fn ask(
        &self,
        w: &Walk,
        asker: &mut Asker,
        notices: &mut dyn Notices,
    ) -> Result<Vec<String>, AuthError> {
        let prompting = asker.can_ask() && !asker.is_given(self.id);
        if prompting {
            for line in self.prefix {
                notices.notice(Notice::Info((*line).to_string()));
            }
        }
        loop {
            let Some(values) = self.ask_once(w, asker, prompting)? else {
                if let Some(help) = self.learn_more {
                    notices.notice(Notice::Info(help.to_string()));
                }
                continue;
            };
            let problem = match self.kind {
                Kind::Order => order_problem(&self.options(w), &values),
                _ => None,
            }
            .or_else(|| self.check.and_then(|c| c(w, &values).err()));
            if let Some(problem) = problem {
                if !prompting {
                    return Err(invalid(&self.question(w), problem).into());
                }
                notices.notice(Notice::Problem(problem));
                continue;
            }
            if let Some((value, why)) = self
                .refuse
                .iter()
                .find(|(v, _)| values.iter().any(|x| x == v))
            {
                let label = self
                    .options(w)
                    .into_iter()
                    .find(|c| c.value == *value)
                    .map_or_else(|| (*value).to_string(), |c| c.label);
                return Err(AuthError::NotInWalkthrough {
                    answer: format!("{} {label}", self.message),
                    why: (*why).to_string(),
                });
            }
            return Ok(values);
        }
    }
}

fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// What is wrong with an order: it must name each choice once.
fn order_problem(choices: &[Choice], order: &[String]) -> Option<String> {
    let names: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
    let complete = order.len() == names.len()
        && names
            .iter()
            .all(|n| order.iter().filter(|o| o == n).count() == 1);
    (!complete).then(|| format!("Name each of {} once, in order.", names.join(", ")))
}

/// Asks every question of `specs` whose condition holds, in order. A flag given
/// for a question that the other answers leave out is an error naming both.
pub fn walk(
    specs: &[Spec],
    setting: &Setting,
    asker: &mut Asker,
    notices: &mut dyn Notices,
) -> Result<Answers, AuthError> {
    let mut w = Walk {
        answers: Answers::default(),
        setting,
    };
    for spec in specs {
        if (spec.when)(&w) {
            let values = spec.ask(&w, asker, notices)?;
            w.answers.set(spec.id, values);
        }
    }
    if let Some(unused) = specs
        .iter()
        .find(|s| asker.is_given(s.id) && w.answers.many(s.id).is_none())
    {
        return Err(AuthError::FlagNotApplicable {
            flag: format!("--{}", unused.id),
            question: unused.message.to_string(),
        });
    }
    Ok(w.answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::Collected;
    use crate::prompt::{NoTerminal, Reply, ScriptedPrompter};

    fn setting() -> Setting {
        Setting {
            project_name: "myproj".into(),
            shared_id: "1a2b3c4d".into(),
            frontend: "javascript".into(),
            current: None,
        }
    }

    fn yes_walk(given: &[(&'static str, &str)]) -> Result<Answers, AuthError> {
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        for (id, v) in given {
            asker.give(id, Some(*v));
        }
        walk(ADD_AUTH, &setting(), &mut asker, &mut Collected::default())
    }

    #[test]
    fn learn_more_shows_the_help_and_asks_again() {
        let mut p = ScriptedPrompter::new([
            ("default authentication", Reply::Pick("learn more".into())),
            ("default authentication", Reply::Enter),
            ("sign in", Reply::Pick("learn more".into())),
            ("sign in", Reply::Pick("Email or Phone".into())),
            ("advanced settings", Reply::Enter),
        ]);
        let mut asker = Asker::new(&mut p, false);
        let mut notices = Collected::default();
        let a = walk(ADD_AUTH, &setting(), &mut asker, &mut notices).unwrap();
        assert_eq!(a.one(SIGN_IN), Some("email-or-phone"));
        assert_eq!(a.one(ADVANCED), Some("no"));
        let texts = notices.texts();
        assert!(
            texts.iter().any(
                |t| t.contains("If you choose the 'Default configuration with Social Provider")
            ),
            "{texts:?}"
        );
        assert!(
            texts.contains(&table::SIGN_IN_HELP.to_string()),
            "{texts:?}"
        );
        assert!(p.finished());
        assert!(p.transcript.iter().any(|l| l == "  I want to learn more."));
    }

    #[test]
    fn the_manual_trigger_flow_asks_each_triggers_modules_and_values() {
        let ids = [
            DEFAULT_CONFIG,
            LAMBDA_TRIGGERS,
            TRIGGERS,
            TRIGGER_MODULES,
            TRIGGER_FUNCTION,
            "add-to-group",
            "denylist-domains",
        ];
        let specs: Vec<Spec> = ADD_AUTH
            .iter()
            .filter(|s| ids.contains(&s.id))
            .copied()
            .collect();
        let mut p = ScriptedPrompter::new([
            ("default authentication", Reply::Pick("Manual".into())),
            ("Lambda Triggers", Reply::Confirm(true)),
            (
                "Which triggers",
                Reply::PickMany(vec![
                    "Pre Sign-up".into(),
                    "Post Confirmation".into(),
                    "User Migration".into(),
                ]),
            ),
            (
                "functionality do you want to use for Post Confirmation",
                Reply::PickMany(vec!["Add User To Group".into()]),
            ),
            (
                "functionality do you want to use for Pre Sign-up",
                Reply::PickMany(vec!["denylist".into()]),
            ),
            (
                "functionality do you want to use for User Migration",
                Reply::PickMany(vec!["existing Lambda function".into()]),
            ),
            (
                "ARN of the existing Lambda function for User Migration",
                Reply::Text("arn:aws:lambda:us-east-1:123456789012:function:legacy".into()),
            ),
            (
                "group to which users will be added",
                Reply::Text("admins".into()),
            ),
            (
                "disallowed email domains",
                Reply::Text("spam.com, junk.org".into()),
            ),
        ]);
        let mut asker = Asker::new(&mut p, false);
        let a = walk(&specs, &setting(), &mut asker, &mut Collected::default()).unwrap();
        assert!(p.finished());
        let s = trigger_selection(&a, &crate::auth::triggers::Selection::default());
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        use crate::auth::triggers::Trigger;
        assert_eq!(s.modules[&Trigger::PostConfirmation], ["add-to-group"]);
        assert_eq!(s.modules[&Trigger::PreSignup], ["email-filter-denylist"]);
        assert!(!s.modules.contains_key(&Trigger::UserMigration));
        assert!(s.functions[&Trigger::UserMigration].ends_with(":function:legacy"));
        assert_eq!(s.params["GROUP"], "admins");
        assert_eq!(s.params["DOMAINDENYLIST"], "spam.com, junk.org");
    }

    #[test]
    fn yes_takes_every_default() {
        let a = yes_walk(&[]).unwrap();
        assert_eq!(a.one(DEFAULT_CONFIG), Some("default"));
        assert_eq!(a.one(SIGN_IN), Some("username"));
        assert_eq!(a.one(ADVANCED), Some("no"));
        assert_eq!(a.many(REQUIRED_ATTRIBUTES), None);
    }

    #[test]
    fn advanced_asks_the_required_attributes_and_the_capabilities_values() {
        let a = yes_walk(&[(ADVANCED, "yes"), (REQUIRED_ATTRIBUTES, "name,email")]).unwrap();
        assert_eq!(
            a.many(REQUIRED_ATTRIBUTES).unwrap(),
            ["email".to_string(), "name".to_string()]
        );
        // A capability's value is required under --yes, named by its flag.
        let err =
            yes_walk(&[(ADVANCED, "yes"), (CAPABILITIES_ID, "add-user-to-group")]).unwrap_err();
        assert!(err.to_string().contains("--add-to-group"), "{err}");
        let a = yes_walk(&[
            (ADVANCED, "yes"),
            (CAPABILITIES_ID, "add-user-to-group"),
            ("add-to-group", "admins"),
        ])
        .unwrap();
        let s = trigger_selection(&a, &crate::auth::triggers::Selection::default());
        assert_eq!(s.modules.len(), 1);
        assert_eq!(s.params["GROUP"], "admins");
        let err = yes_walk(&[(ADVANCED, "yes"), (CAPABILITIES_ID, "none")]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Invalid value for --capabilities: 'none' is not one of"),
            "{err}"
        );
    }

    #[test]
    fn a_flag_for_a_question_not_asked_is_an_error() {
        let err = yes_walk(&[(REQUIRED_ATTRIBUTES, "email")]).unwrap_err();
        assert!(err.to_string().contains("--required-attributes"), "{err}");
    }

    #[test]
    fn a_required_answer_under_yes_names_its_flag() {
        let err = yes_walk(&[(DEFAULT_CONFIG, "social")]).unwrap_err();
        assert!(
            err.to_string().contains("Enter your redirect signin URI:")
                && err.to_string().contains("--redirect-signin-uris LIST"),
            "{err}"
        );
        let err = yes_walk(&[(DEFAULT_CONFIG, "manual")]).unwrap_err();
        assert!(err.to_string().contains("--group-names LIST"), "{err}");
    }

    #[test]
    fn loops_take_a_list_flag_and_check_each_value() {
        let a = yes_walk(&[
            (DEFAULT_CONFIG, "social"),
            (SIGNIN_URIS, "https://a.example/, myapp://"),
            (SIGNOUT_URIS, "https://a.example/out/"),
        ])
        .unwrap();
        assert_eq!(
            a.many(SIGNIN_URIS).unwrap(),
            ["https://a.example/".to_string(), "myapp://".to_string()]
        );
        assert_eq!(a.one(DOMAIN_PREFIX), Some("myproj1a2b3c4d-1a2b3c4d"));
        let err = yes_walk(&[
            (DEFAULT_CONFIG, "social"),
            (SIGNIN_URIS, "http://a.example/"),
        ])
        .unwrap_err();
        assert!(
            err.to_string().starts_with(
                "Invalid value for --redirect-signin-uris: 'http://a.example/': The value must be a valid URI"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_loop_asks_for_another_until_no() {
        let mut p = ScriptedPrompter::new([
            ("default authentication", Reply::Pick("Social".into())),
            ("sign in", Reply::Enter),
            ("advanced settings", Reply::Enter),
            ("domain name prefix", Reply::Text("my-app".into())),
            (
                "redirect signin URI",
                Reply::Text("http://example.com/".into()),
            ),
            (
                "redirect signin URI",
                Reply::Text("https://example.com/".into()),
            ),
            ("add another redirect signin URI", Reply::Confirm(true)),
            ("redirect signin URI", Reply::Text("myapp://".into())),
            ("add another redirect signin URI", Reply::Enter),
            (
                "redirect signout URI",
                Reply::Text("https://example.com/out/".into()),
            ),
            ("add another redirect signout URI", Reply::Confirm(false)),
            ("social providers", Reply::PickMany(vec!["Google".into()])),
            ("Google Web Client ID", Reply::Text("gid".into())),
            ("Google Web Client Secret", Reply::Text("gsecret".into())),
        ]);
        let mut asker = Asker::new(&mut p, false);
        let a = walk(ADD_AUTH, &setting(), &mut asker, &mut Collected::default()).unwrap();
        assert!(p.finished(), "{:?}", p.transcript);
        assert_eq!(
            a.many(SIGNIN_URIS).unwrap(),
            ["https://example.com/".to_string(), "myapp://".to_string()]
        );
        assert_eq!(a.one(GOOGLE_OAUTH_CLIENT_SECRET), Some("gsecret"));
        assert!(
            p.transcript
                .iter()
                .any(|l| l.starts_with("! The value must be a valid URI"))
        );
    }

    #[test]
    fn groups_are_ordered_by_a_typed_list() {
        let manual = [
            (DEFAULT_CONFIG, "manual"),
            (GROUP_NAMES, "admins,users"),
            (OAUTH, "no"),
        ];
        let a = yes_walk(&manual).unwrap();
        assert_eq!(
            a.many(GROUP_ORDER).unwrap(),
            ["admins".to_string(), "users".to_string()]
        );
        let mut given = manual.to_vec();
        given.push((GROUP_ORDER, "users, admins"));
        let a = yes_walk(&given).unwrap();
        assert_eq!(
            a.many(GROUP_ORDER).unwrap(),
            ["users".to_string(), "admins".to_string()]
        );
        given.pop();
        given.push((GROUP_ORDER, "users"));
        let err = yes_walk(&given).unwrap_err();
        assert!(
            err.to_string()
                .contains("Name each of admins, users once, in order."),
            "{err}"
        );
    }

    #[test]
    fn update_defaults_are_the_current_values() {
        let mut current = Answers::default();
        current.set(MFA, vec!["off".into()]);
        current.set(REFRESH_TOKEN_PERIOD, vec!["12".into()]);
        current.set(AUTH_SELECTIONS, vec![USER_POOL_ONLY.into()]);
        let s = Setting {
            current: Some(current),
            ..setting()
        };
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        asker.give(ACTION, Some("manual"));
        asker.give(USER_POOL_GROUPS, Some("no"));
        let a = walk(UPDATE_AUTH, &s, &mut asker, &mut Collected::default());
        // OAuth defaults to Yes (Amplify), whose first redirect URI has no default.
        assert!(
            a.unwrap_err()
                .to_string()
                .contains("--redirect-signin-uris")
        );
        asker.give(OAUTH, Some("no"));
        let a = walk(UPDATE_AUTH, &s, &mut asker, &mut Collected::default()).unwrap();
        assert_eq!(a.one(REFRESH_TOKEN_PERIOD), Some("12"));
        assert_eq!(a.one(AUTH_SELECTIONS), Some(USER_POOL_ONLY));
        assert_eq!(a.many(RESOURCE_NAME), None);
        asker.give(MFA, Some("on"));
        let err = walk(UPDATE_AUTH, &s, &mut asker, &mut Collected::default()).unwrap_err();
        assert!(err.to_string().contains("choose OPTIONAL"), "{err}");
    }

    #[test]
    fn the_update_menu_has_no_default_under_yes() {
        let s = Setting {
            current: Some(Answers::default()),
            ..setting()
        };
        let mut p = NoTerminal;
        let mut asker = Asker::new(&mut p, true);
        let err = walk(UPDATE_AUTH, &s, &mut asker, &mut Collected::default()).unwrap_err();
        assert!(err.to_string().contains("--action"), "{err}");
        asker.give(ACTION, Some("callbacks"));
        let err = walk(UPDATE_AUTH, &s, &mut asker, &mut Collected::default()).unwrap_err();
        assert!(
            err.to_string().contains("'callbacks' is not one of"),
            "{err}"
        );
        asker.give(ACTION, Some("admin-queries"));
        let err = walk(UPDATE_AUTH, &s, &mut asker, &mut Collected::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("Create or update Admin queries API"),
            "{err}"
        );
    }
}
