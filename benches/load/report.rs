//! The results as a table: each measurement with its rate, p50 and p99, and its ratio to the
//! HTTP ceiling (GET /healthz) and, for writes, to the storage ceiling, both of the same run.

use crate::drive::Stats;

/// Which ceiling a measurement is compared with, besides the HTTP one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Baseline,
    Write,
    Read,
    Command,
}

pub struct Row {
    pub stats: Stats,
    pub kind: Kind,
}

pub struct Table {
    pub rows: Vec<Row>,
    pub storage: f64,
}

fn ms(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into())
}

impl Table {
    /// The /healthz rate measured with as many clients as `row`.
    fn http(&self, row: &Row) -> f64 {
        self.rows
            .iter()
            .find(|r| {
                r.stats.name.starts_with("GET /healthz") && r.stats.clients == row.stats.clients
            })
            .map(|r| r.stats.rate())
            .unwrap_or(0.0)
    }

    fn cells(&self, row: &Row) -> Vec<String> {
        let s = &row.stats;
        let ratio = |ceiling: f64| {
            if ceiling > 0.0 && matches!(row.kind, Kind::Write | Kind::Read) {
                format!("{:.2}", s.rate() / ceiling)
            } else {
                "–".into()
            }
        };
        vec![
            s.name.clone(),
            format!("{}", s.clients),
            format!("{}", s.units),
            format!("{}", s.errors),
            format!("{:.1}", s.seconds),
            format!("{:.0} {}/s", s.rate(), s.unit),
            ms(s.quantile_ms(0.5)),
            ms(s.quantile_ms(0.99)),
            ratio(self.http(row)),
            if row.kind == Kind::Write {
                ratio(self.storage)
            } else {
                "–".into()
            },
        ]
    }

    const HEADER: [&'static str; 10] = [
        "measurement",
        "clients",
        "done",
        "errors",
        "s",
        "rate",
        "p50 ms",
        "p99 ms",
        "÷ HTTP ceiling",
        "÷ storage ceiling",
    ];

    pub fn text(&self) -> String {
        let mut lines: Vec<Vec<String>> =
            vec![Self::HEADER.iter().map(|h| h.to_string()).collect()];
        lines.extend(self.rows.iter().map(|r| self.cells(r)));
        let widths: Vec<usize> = (0..Self::HEADER.len())
            .map(|i| {
                lines
                    .iter()
                    .map(|l| l[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        lines
            .iter()
            .map(|line| {
                line.iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(i, (cell, w))| {
                        let pad = " ".repeat(w - cell.chars().count());
                        if i == 0 {
                            format!("{cell}{pad}")
                        } else {
                            format!("{pad}{cell}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn markdown(&self) -> String {
        let mut out = format!(
            "| {} |\n|{}\n",
            Self::HEADER.join(" | "),
            "---|".repeat(Self::HEADER.len())
        );
        for row in &self.rows {
            out.push_str(&format!("| {} |\n", self.cells(row).join(" | ")));
        }
        out
    }
}

pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}
