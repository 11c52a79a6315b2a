//! What a reply wrote, without what it quoted (docs/PRODUCT.md, "Replies by email"): mail
//! clients put the letter being answered under the answer, as `>` lines or after an
//! "On … wrote:" line, and a signature after a `-- ` line. The thread keeps only the answer;
//! the whole text stays with the message as a file.

/// The reply's own words: lines quoted with `>` left out, and everything from an
/// "On … wrote:" line or a `-- ` signature line on dropped; blank lines at either end and
/// runs of blank lines where quotes were are closed up.
pub fn trim_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end_matches('\r');
        if line == "-- " || line == "--" {
            break;
        }
        // What follows an attribution is the quoted letter, quoted with `>` or not.
        if starts_attribution(&lines[i..]) {
            break;
        }
        if line.trim_start().starts_with('>') {
            i += 1;
            continue;
        }
        kept.push(line.trim_end());
        i += 1;
    }
    let mut out = String::new();
    let mut blank_run = 0;
    for line in kept {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

/// Whether an attribution starts `lines` ("On Tue, 1 Dec 2026 at 09:12, City Clerk
/// <records@…> wrote:", which clients may wrap over two or three lines).
fn starts_attribution(lines: &[&str]) -> bool {
    let Some(first) = lines.first() else {
        return false;
    };
    if !starts_with_word(first.trim(), "On") {
        return false;
    }
    let mut joined = String::new();
    for (n, line) in lines.iter().take(3).enumerate() {
        if n > 0 && line.trim().is_empty() {
            return false;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(line.trim());
        if joined.ends_with("wrote:") || joined.ends_with("writes:") {
            return true;
        }
    }
    false
}

fn starts_with_word(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with(','))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_above_a_quoted_letter_keeps_only_the_reply() {
        let text = "Yes, the sidewalk on Willow Pass Road.\r\n\r\nThanks,\r\nAna\r\n\r\n\
                    On Tue, Dec 1, 2026 at 9:12 AM City Clerk <records@cityofconcord.org> wrote:\r\n\
                    > We need to know which records you mean.\r\n> \r\n> City Clerk\r\n";
        assert_eq!(
            trim_quoted(text),
            "Yes, the sidewalk on Willow Pass Road.\n\nThanks,\nAna"
        );
    }

    #[test]
    fn an_attribution_wrapped_over_two_lines_ends_the_reply() {
        let text = "The 2025 inspections, please.\n\nOn Tue, Dec 1, 2026 at 9:12 AM City Clerk\n<records@cityofconcord.org> wrote:\nWe need to know which records you mean.\n";
        assert_eq!(trim_quoted(text), "The 2025 inspections, please.");
    }

    #[test]
    fn quoted_lines_between_answers_are_left_out_and_the_answers_kept() {
        let text = "> Which street?\nWillow Pass Road.\n\n> Which years?\n2024 and 2025.\n";
        assert_eq!(trim_quoted(text), "Willow Pass Road.\n\n2024 and 2025.");
    }

    #[test]
    fn a_signature_is_left_out() {
        let text = "Here is the permit number: B-2291.\n-- \nAna Flores\nConcord, CA\n";
        assert_eq!(trim_quoted(text), "Here is the permit number: B-2291.");
    }

    #[test]
    fn a_sentence_that_begins_with_on_is_the_reply() {
        let text = "On second thought, only 2025.\nOnly the final reports.\n";
        assert_eq!(
            trim_quoted(text),
            "On second thought, only 2025.\nOnly the final reports."
        );
        assert_eq!(trim_quoted("Once more: 2025.\n"), "Once more: 2025.");
    }

    #[test]
    fn a_reply_that_is_all_quote_is_empty() {
        assert_eq!(trim_quoted("> only what was quoted\n>\n"), "");
        assert_eq!(trim_quoted(""), "");
    }
}
