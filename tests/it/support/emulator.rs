//! The local AWS emulator (moto 5.2.5 + tests/emulator/moto_ext.py): one process per
//! test binary, started on first use on a free 127.0.0.1 port. Tests are isolated
//! by account: each `Emulator::start()` returns a handle with its own access key
//! (`AKIATEST` + a fresh 12-digit account id), and moto keeps its state per account.
//!
//! The process reads its stdin, which only this binary holds open: when the binary
//! exits (passes, fails or is killed), the pipe closes and the emulator exits too.
//!
//! `authwiz(dir)`, `run_scripted` and the PTY tests use the key of the newest handle
//! of the test's thread (see [`current_access_key`]); the Seeder and the proxy get
//! the handle itself.

use std::cell::RefCell;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The key of moto's default account (`123456789012`): what a test without a
/// handle sends, as scripts/emulator.sh and the demo do.
pub const DEFAULT_KEY: &str = "testing";

/// The one emulator process of this test binary.
struct Server {
    port: u16,
    /// Held, never written: the emulator exits when this closes (at process exit).
    _stdin: ChildStdin,
    /// Never waited for: it exits with this binary and init reaps it.
    _child: Child,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static NEXT_ACCOUNT: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Keys of this thread's live handles, newest last.
    static KEYS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The access key this thread's commands use: that of the newest live handle
/// started on this thread, else [`DEFAULT_KEY`].
pub fn current_access_key() -> String {
    KEYS.with(|k| k.borrow().last().cloned())
        .unwrap_or_else(|| DEFAULT_KEY.to_string())
}

fn server() -> &'static Server {
    SERVER.get_or_init(|| {
        let repo = super::repo();
        let python = repo.join(".tools/venv/bin/python");
        assert!(
            python.exists(),
            "the emulator is not installed: run scripts/setup-emulator.sh (scripts/test.sh does it)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(python)
            .arg(repo.join("tests/emulator/moto_ext.py"))
            .args([
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "--exit-with-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator");
        let stdin = child.stdin.take().unwrap();
        // Shared by every test of the binary, which may start at once on a busy
        // machine: allow for a slow first import of moto.
        let deadline = Instant::now() + Duration::from_secs(90);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the emulator exited at start ({status})");
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the emulator did not start on port {port}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Server {
            port,
            _stdin: stdin,
            _child: child,
        }
    })
}

/// One test's view of the shared emulator: its own account, reached with its own
/// access key.
pub struct Emulator {
    pub port: u16,
    key: String,
    account: String,
}

impl Emulator {
    /// A new, empty account on this binary's emulator (started on first use).
    /// Until the handle drops, `authwiz(dir)` and `run_scripted` on this thread
    /// use its key.
    pub fn start() -> Emulator {
        let port = server().port;
        let n = NEXT_ACCOUNT.fetch_add(1, Ordering::Relaxed);
        let account = format!("{:012}", 100_000_000_000 + n);
        let key = format!("AKIATEST{account}");
        KEYS.with(|k| k.borrow_mut().push(key.clone()));
        Emulator { port, key, account }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The access key that reaches this handle's account (any secret key works).
    /// The process id of this binary's emulator (to hand it to scripts/emulator.sh).
    pub fn pid(&self) -> u32 {
        server()._child.id()
    }

    pub fn access_key(&self) -> &str {
        &self.key
    }

    /// The 12-digit account id (in the ARNs of IAM roles made here).
    pub fn account_id(&self) -> &str {
        &self.account
    }

    fn log(&self) -> std::io::Result<serde_json::Value> {
        let body = http(
            self.port,
            "GET",
            &format!("/_authwiz/calls?key={}", self.key),
        )?;
        serde_json::from_str(&body).map_err(std::io::Error::other)
    }

    /// AWS API calls made with this handle's key, as `service:Operation`, in order.
    pub fn calls(&self) -> Vec<String> {
        let v = self.log().unwrap();
        v["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{}:{}", c[0].as_str().unwrap(), c[1].as_str().unwrap()))
            .collect()
    }

    /// Forgets the calls made with this handle's key (other tests' stay).
    pub fn reset_calls(&self) {
        http(
            self.port,
            "POST",
            &format!("/_authwiz/calls/reset?key={}", self.key),
        )
        .unwrap();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = KEYS.try_with(|k| {
            let mut keys = k.borrow_mut();
            if let Some(i) = keys.iter().rposition(|key| *key == self.key) {
                keys.remove(i);
            }
        });
        // A test that never reaches the cloud should not take an account (issue 8).
        if !std::thread::panicking()
            && let Ok(log) = self.log()
        {
            assert_ne!(
                log["served"], 0,
                "this test took an emulator account but made no AWS call with its key {}: \
                 drop the `Emulator::start()` (or point at a closed port to prove no call)",
                self.key
            );
        }
    }
}

/// A minimal HTTP/1.0 request to the emulator's own endpoints.
fn http(port: u16, method: &str, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default())
}
