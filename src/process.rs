//! The process seam: environment variables, standard input and the clock reach
//! authwiz through here, so flows run in tests without a machine's state.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, SystemTime};

pub trait Process: Send + Sync {
    /// A variable's value; empty values count as set (callers decide).
    fn var(&self, name: &str) -> Option<String>;
    /// Names of the set variables that start with `prefix`.
    fn vars_with_prefix(&self, prefix: &str) -> Vec<String>;
    fn stdin_is_terminal(&self) -> bool;
    /// The whole of stdin, or `None` when nothing arrives within `wait`.
    fn read_stdin(&self, wait: Duration) -> Option<std::io::Result<String>>;
    fn now(&self) -> SystemTime;
}

/// The real process.
pub struct RealProcess;

impl Process for RealProcess {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn vars_with_prefix(&self, prefix: &str) -> Vec<String> {
        std::env::vars()
            .filter(|(k, v)| k.starts_with(prefix) && !v.is_empty())
            .map(|(k, _)| k)
            .collect()
    }

    fn stdin_is_terminal(&self) -> bool {
        std::io::stdin().is_terminal()
    }

    fn read_stdin(&self, wait: Duration) -> Option<std::io::Result<String>> {
        let (tx, rx) = std::sync::mpsc::channel();
        // A reader thread, so a stdin that never closes cannot hang the command.
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = tx.send(
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map(|_| text),
            );
        });
        rx.recv_timeout(wait).ok()
    }

    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A process for tests: given variables, stdin and clock.
#[derive(Clone, Debug)]
pub struct FakeProcess {
    pub vars: HashMap<String, String>,
    pub stdin: Option<String>,
    pub now: SystemTime,
}

impl Default for FakeProcess {
    fn default() -> Self {
        FakeProcess {
            vars: HashMap::new(),
            stdin: None,
            // 2026-11-22T05:14:05.897Z, the fixtures' push time.
            now: SystemTime::UNIX_EPOCH + Duration::from_millis(1_795_324_445_897),
        }
    }
}

impl FakeProcess {
    pub fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.into());
        self
    }
}

impl Process for FakeProcess {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn vars_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.vars
            .iter()
            .filter(|(k, v)| k.starts_with(prefix) && !v.is_empty())
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn stdin_is_terminal(&self) -> bool {
        false
    }

    fn read_stdin(&self, _: Duration) -> Option<std::io::Result<String>> {
        Some(Ok(self.stdin.clone().unwrap_or_default()))
    }

    fn now(&self) -> SystemTime {
        self.now
    }
}
