//! A forwarding proxy on 127.0.0.1 in front of the emulator that answers chosen
//! AWS operations with a canned error (access denied, throttling, ...) or slowly,
//! and a black hole: a local socket that accepts connections and never answers.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Fail `operation` with HTTP `status` and error `code`, `times` more times (None: always).
struct Rule {
    operation: String,
    /// Matching calls let through before the rule starts failing.
    skip: usize,
    status: u16,
    code: String,
    times: Option<usize>,
    /// The request reaches the emulator (and is applied) before the failure.
    after_applied: Option<LostReply>,
}

/// How the reply to a request the server applied is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LostReply {
    /// The client gets the rule's error (an HTTP 500 from a load balancer).
    Error,
    /// The connection closes with no reply at all.
    Dropped,
}

type Rules = Arc<Mutex<Vec<Rule>>>;
type Delays = Arc<Mutex<HashMap<String, Duration>>>;

/// Kill points: mutating requests counted, and the one after which the proxy
/// freezes (applies it, then answers nothing more), for a test to kill the client.
#[derive(Default)]
struct Freeze {
    mutations: std::sync::atomic::AtomicUsize,
    at: Mutex<Option<usize>>,
    frozen: std::sync::atomic::AtomicBool,
}

pub struct Proxy {
    pub port: u16,
    rules: Rules,
    freeze: Arc<Freeze>,
    /// Operation → how long each of its requests waits before it is handled.
    delays: Delays,
    /// Operation of every request that got an injected error, in order.
    injected: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    pub fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (rules, delays): (Rules, Delays) = Default::default();
        let injected: Arc<Mutex<Vec<String>>> = Arc::default();
        let freeze: Arc<Freeze> = Arc::default();
        let (shared, slow, seen, ice) = (
            rules.clone(),
            delays.clone(),
            injected.clone(),
            freeze.clone(),
        );
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (rules, delays, seen, ice) =
                    (shared.clone(), slow.clone(), seen.clone(), ice.clone());
                std::thread::spawn(move || {
                    if ice.frozen.load(SeqCst) {
                        return hold(&ice);
                    }
                    let _ = serve(conn, upstream, &rules, &delays, &seen, &ice);
                });
            }
        });
        Proxy {
            port,
            rules,
            freeze,
            delays,
            injected,
        }
    }

    /// From now on, counts mutating requests (not Get/Describe/List) from 0;
    /// the `n`-th is applied and then nothing more is answered, until [`Proxy::thaw`].
    pub fn freeze_after(&self, n: Option<usize>) {
        self.freeze.mutations.store(0, SeqCst);
        *self.freeze.at.lock().unwrap() = n;
        self.freeze.frozen.store(false, SeqCst);
    }

    /// Whether the kill point was reached (its request applied, no reply sent).
    pub fn frozen(&self) -> bool {
        self.freeze.frozen.load(SeqCst)
    }

    /// Mutating requests since [`Proxy::freeze_after`].
    pub fn mutations(&self) -> usize {
        self.freeze.mutations.load(SeqCst)
    }

    pub fn thaw(&self) {
        self.freeze_after(None);
    }

    /// Every request for `operation` waits `delay` before it is handled (a slow network).
    pub fn delay(&self, operation: &str, delay: Duration) {
        self.delays.lock().unwrap().insert(operation.into(), delay);
    }

    /// Operations answered with an injected error so far.
    pub fn injected(&self) -> Vec<String> {
        self.injected.lock().unwrap().clone()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Fails `operation` (e.g. `ListUserPools`, `PutRolePolicy`) with `code`
    /// (`<html>`: an HTML page, as a failing server or proxy answers).
    pub fn fail(&self, operation: &str, status: u16, code: &str, times: Option<usize>) {
        self.fail_after(operation, 0, status, code, times);
    }

    /// Lets `skip` matching calls through, then fails the next `times` ones.
    pub fn fail_after(
        &self,
        operation: &str,
        skip: usize,
        status: u16,
        code: &str,
        times: Option<usize>,
    ) {
        let rule = Rule {
            operation: operation.into(),
            skip,
            status,
            code: code.into(),
            times,
            after_applied: None,
        };
        self.rules.lock().unwrap().push(rule);
    }

    /// The next `times` calls of `operation` reach the emulator and are applied,
    /// and then their reply is lost: the client gets an HTTP 500, or nothing.
    pub fn lose_reply(&self, operation: &str, how: LostReply, times: usize) {
        let rule = Rule {
            operation: operation.into(),
            skip: 0,
            status: 500,
            code: "InternalErrorException".into(),
            times: Some(times),
            after_applied: Some(how),
        };
        self.rules.lock().unwrap().push(rule);
    }
}

fn serve(
    mut client: TcpStream,
    upstream: u16,
    rules: &Mutex<Vec<Rule>>,
    delays: &Mutex<HashMap<String, Duration>>,
    injected: &Mutex<Vec<String>>,
    freeze: &Freeze,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            content_length = v.trim().parse().unwrap_or(0);
        }
        let end = line == "\r\n";
        if !k_is(&line, "connection") {
            head.push(line);
        }
        if end {
            break;
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let text = format!("{}{}", head.concat(), String::from_utf8_lossy(&body));
    let op = operation(&text);
    let delay = op
        .as_ref()
        .and_then(|o| delays.lock().unwrap().get(o).copied());
    if let Some(d) = delay {
        std::thread::sleep(d);
    }
    if freeze.frozen.load(SeqCst) {
        hold(freeze);
        return Ok(());
    }
    let reads = ["Get", "Describe", "List"];
    if let Some(o) = &op
        && !reads.iter().any(|r| o.starts_with(r))
    {
        let n = freeze.mutations.fetch_add(1, SeqCst) + 1;
        if *freeze.at.lock().unwrap() == Some(n) {
            let _applied = forward(&head, &body, upstream)?;
            freeze.frozen.store(true, SeqCst);
            hold(freeze);
            return Ok(());
        }
    }
    let hit = {
        let mut rules = rules.lock().unwrap();
        let found = rules
            .iter_mut()
            .find(|r| Some(r.operation.as_str()) == op.as_deref() && r.times != Some(0));
        found.and_then(|r| {
            if r.skip > 0 {
                r.skip -= 1;
                return None;
            }
            if let Some(n) = r.times.as_mut() {
                *n -= 1;
            }
            Some((r.status, r.code.clone(), r.after_applied))
        })
    };
    if let Some((status, code, lost)) = hit {
        if let Some(how) = lost {
            let _applied = forward(&head, &body, upstream)?;
            if how == LostReply::Dropped {
                injected
                    .lock()
                    .unwrap()
                    .push(op.clone().unwrap_or_default());
                return Ok(());
            }
        }
        injected
            .lock()
            .unwrap()
            .push(op.clone().unwrap_or_default());
        let json =
            text.contains("x-amz-json") || text.to_ascii_lowercase().contains("x-amz-target");
        // A failing server's page (not an AWS error): no error type, HTML.
        if code == "<html>" {
            let page = "<!doctype html><title>500 Internal Server Error</title>";
            write!(
                client,
                "HTTP/1.1 {status} Error\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            )?;
            return Ok(());
        }
        let (ctype, payload) = if json {
            (
                "application/x-amz-json-1.1",
                format!(
                    "{{\"__type\":\"{code}\",\"message\":\"injected {code} for {}\"}}",
                    op.unwrap_or_default()
                ),
            )
        } else {
            (
                "text/xml",
                format!(
                    "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected {code}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
                ),
            )
        };
        write!(
            client,
            "HTTP/1.1 {status} Error\r\nContent-Type: {ctype}\r\nx-amzn-ErrorType: {code}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
            payload.len()
        )?;
        return Ok(());
    }
    let response = forward(&head, &body, upstream)?;
    client.write_all(&response)?;
    Ok(())
}

/// Answers nothing while the proxy is frozen (the connection stays open).
fn hold(freeze: &Freeze) {
    while freeze.frozen.load(SeqCst) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends the request to the emulator; returns its whole response.
fn forward(head: &[String], body: &[u8], upstream: u16) -> std::io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(("127.0.0.1", upstream))?;
    up.write_all(head[..head.len() - 1].concat().as_bytes())?;
    up.write_all(b"Connection: close\r\n\r\n")?;
    up.write_all(body)?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    Ok(response)
}

fn k_is(line: &str, key: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(k, _)| k.eq_ignore_ascii_case(key))
}

/// The AWS operation of a request: the X-Amz-Target suffix or the query `Action`.
fn operation(request: &str) -> Option<String> {
    for line in request.lines() {
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("x-amz-target")
        {
            return v.trim().rsplit('.').next().map(str::to_string);
        }
    }
    request
        .split(['&', '?', '\n'])
        .find_map(|p| p.trim().strip_prefix("Action="))
        .map(|a| a.trim().to_string())
}

/// A local socket that accepts every connection and never answers: a dead
/// network as authwiz meets it (the connection opens, no reply ever comes).
pub struct BlackHole {
    pub port: u16,
}

impl BlackHole {
    pub fn start() -> BlackHole {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            // Keep every connection open (and unanswered) until the test ends.
            let held: Vec<TcpStream> = listener.incoming().flatten().collect();
            drop(held);
        });
        BlackHole { port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
