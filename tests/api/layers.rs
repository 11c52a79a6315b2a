//! The folders are the layers (docs/ARCHITECTURE.md), and arrows point down only: these tests
//! read the source and fail when a module reaches up or across.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file, as its path under `src/` and its text.
fn tree() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            let name = path
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            (name, text)
        })
        .collect()
}

/// The files outside `allowed` (path prefixes under `src/`) whose code names `needle`.
fn reaching(needle: &str, allowed: &[&str]) -> Vec<String> {
    tree()
        .into_iter()
        .filter(|(name, _)| !allowed.iter().any(|prefix| name.starts_with(prefix)))
        .filter(|(_, text)| {
            text.lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .any(|line| names(line, needle))
        })
        .map(|(name, _)| name)
        .collect()
}

/// Whether `line` holds `needle` as a whole name: `Conn` but not `ConnectionType`.
fn names(line: &str, needle: &str) -> bool {
    let part_of_name = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(needle).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + needle.len()..].chars().next();
        !before.is_some_and(part_of_name) && !after.is_some_and(part_of_name)
    })
}

#[test]
fn nothing_below_the_faces_imports_the_web_layer() {
    let up = reaching(
        "crate::web",
        &["web/", "startup.rs", "cli.rs", "main.rs", "lib.rs"],
    );
    assert!(up.is_empty(), "these modules import crate::web: {up:?}");
}

#[test]
fn the_faces_reach_the_database_only_through_the_app() {
    for needle in ["crate::db", "Conn", "write_grouped", "crate::audit::store"] {
        let across = reaching(
            needle,
            &[
                "app/",
                "db/",
                "audit/",
                "notify/",
                "catalog/",
                "seed/",
                "startup.rs",
                "lib.rs",
                "domain/",
                "jobs.rs",
                "config.rs",
                "blobs/",
            ],
        );
        let faces: Vec<&String> = across
            .iter()
            .filter(|name| name.starts_with("web/") || *name == "cli.rs")
            .collect();
        assert!(faces.is_empty(), "{needle} is named by {faces:?}");
    }
}

#[test]
fn the_domain_does_no_io_and_knows_no_framework() {
    for needle in [
        "diesel",
        "actix",
        "utoipa",
        "std::fs",
        "std::net",
        "crate::db",
        "crate::app",
    ] {
        let found: Vec<String> = reaching(needle, &[])
            .into_iter()
            .filter(|name| name.starts_with("domain/"))
            .collect();
        assert!(found.is_empty(), "domain/ names {needle}: {found:?}");
    }
}

#[test]
fn only_the_faces_know_the_api_tooling() {
    let found = reaching("utoipa", &["web/"]);
    assert!(found.is_empty(), "utoipa outside web/: {found:?}");
}
