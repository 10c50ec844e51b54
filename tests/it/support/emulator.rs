//! The local AWS emulator (moto 5.2.5 + tests/emulator/moto_ext.py), one process
//! per test on a free 127.0.0.1 port, stopped when the handle drops.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Emulator {
    child: Child,
    pub port: u16,
}

impl Emulator {
    pub fn start() -> Emulator {
        let python = super::repo().join(".tools/venv/bin/python");
        assert!(
            python.exists(),
            "the emulator is not installed: run scripts/setup-emulator.sh (scripts/test.sh does it)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(python)
            .arg(super::repo().join("tests/emulator/moto_ext.py"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator");
        let emu = Emulator { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the emulator did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        emu
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// AWS API calls the emulator has served, as `service:Operation`.
    pub fn calls(&self) -> Vec<String> {
        let body = http(self.port, "GET", "/_authwiz/calls");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{}:{}", c[0].as_str().unwrap(), c[1].as_str().unwrap()))
            .collect()
    }

    pub fn reset_calls(&self) {
        http(self.port, "POST", "/_authwiz/calls/reset");
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.0 request to the emulator's own endpoints.
fn http(port: u16, method: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}
