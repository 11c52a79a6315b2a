//! A real SMTP server for the tests: aiosmtpd (`tests/support/smtp_sink.py`) on a free port of
//! 127.0.0.1, which can be stopped and started again to play an outage.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct SmtpSink {
    pub port: u16,
    out: PathBuf,
    _dir: tempfile::TempDir,
    child: Option<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpSink {
    /// Starts the server; panics (failing the test) when aiosmtpd is not installed.
    pub fn start() -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = SmtpSink {
            port: free_port(),
            out: dir.path().join("received.jsonl"),
            _dir: dir,
            child: None,
        };
        sink.resume();
        sink
    }

    /// A sink that is down from the start: its port is reserved but nothing listens.
    pub fn down() -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        SmtpSink {
            port: free_port(),
            out: dir.path().join("received.jsonl"),
            _dir: dir,
            child: None,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn resume(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
        let mut child = Command::new("python3")
            .args([script, "--port", &self.port.to_string(), "--out"])
            .arg(&self.out)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP sink did not start (is aiosmtpd installed? pip install aiosmtpd)"
        );
        self.child = Some(child);
    }

    /// Stops the server abruptly, as a crashed mail server would.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, in arrival order. A line the sink is still writing (no
    /// newline yet) is left for the next look.
    pub fn messages(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        let complete = text.rfind('\n').map(|end| &text[..end]).unwrap_or("");
        complete
            .lines()
            .map(|line| serde_json::from_str(line).expect("the sink writes one JSON object a line"))
            .collect()
    }

    /// Waits until at least `count` messages arrived (20 s at most), then answers them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= count || start.elapsed() > Duration::from_secs(20) {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
