//! Text as people type it, in any script, and the ways it goes wrong.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Characters worth meeting often: right-to-left scripts, combining marks, bidi and zero-width
/// format characters, emoji with joiners and selectors, CJK, HTML and SQL punctuation.
const AWKWARD: &[char] = &[
    'م', 'ر', 'ي', 'ש', 'ל', 'ו', '\u{301}', '\u{5b7}', '\u{200f}', '\u{202e}', '\u{2066}',
    '\u{200b}', '\u{200d}', '\u{fe0f}', '\u{feff}', '😀', '👩', '🏽', '字', 'é', 'ß', '<', '>',
    '&', '"', '\'', ';', '%', '\\', '\u{fffd}',
];

/// Characters one-line text refuses though they are neither controls nor whitespace: they hide
/// or reorder what a name or an address shows (zero-width, bidi overrides and isolates, BOM).
const INVISIBLE: &[char] = &[
    '\u{200b}', '\u{2060}', '\u{feff}', '\u{180e}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}',
    '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// One character that is neither whitespace nor a control character.
pub fn visible_char() -> impl Strategy<Value = char> {
    prop_oneof![3 => any::<char>(), 1 => select(AWKWARD)].prop_map(|c| {
        if c.is_control() || c.is_whitespace() {
            'x'
        } else {
            c
        }
    })
}

/// What may sit inside text between visible characters.
fn inner_char(multiline: bool) -> BoxedStrategy<char> {
    if multiline {
        prop_oneof![12 => visible_char(), 2 => Just(' '), 1 => select(&['\n', '\r', '\t', '\u{3000}'][..])]
            .boxed()
    } else {
        prop_oneof![12 => visible_char(), 2 => Just(' '), 1 => Just('\u{3000}')].boxed()
    }
}

/// Text of exactly `len` characters (at least one) that trims to itself. Long text repeats a
/// random stretch: drawing ten thousand characters one by one is slow and finds nothing more.
pub fn text_of(len: usize, multiline: bool) -> BoxedStrategy<String> {
    let middle = len.saturating_sub(2);
    match len {
        0 => Just(String::new()).boxed(),
        1 => visible_char().prop_map(String::from).boxed(),
        _ => (
            visible_char(),
            vec(inner_char(multiline), middle.clamp(1, 64)),
            visible_char(),
        )
            .prop_map(move |(first, stretch, last)| {
                let mut text = String::from(first);
                text.extend(stretch.iter().cycle().take(middle));
                text.push(last);
                one_line_visible(text, multiline)
            })
            .boxed(),
    }
    .prop_map(move |text| one_line_visible(text, multiline))
    .boxed()
}

/// One-line text holds nothing invisible; multi-line text keeps whatever was written.
fn one_line_visible(text: String, multiline: bool) -> String {
    if multiline {
        text
    } else {
        text.chars()
            .map(|c| if INVISIBLE.contains(&c) { 'x' } else { c })
            .collect()
    }
}

/// Lengths from 1 to `max`, with the limit itself and its neighbours often.
pub fn length_up_to(max: usize) -> BoxedStrategy<usize> {
    prop_oneof![
        3 => 1..=max.min(40),
        1 => 1..=max,
        1 => Just(max),
        1 => (max.saturating_sub(2).max(1))..=max,
    ]
    .boxed()
}

/// Text within `max` characters, maybe with whitespace around it.
pub fn good_text(max: usize, multiline: bool) -> BoxedStrategy<String> {
    (
        padding(),
        length_up_to(max).prop_flat_map(move |len| text_of(len, multiline)),
        padding(),
    )
        .prop_map(|(before, text, after)| format!("{before}{text}{after}"))
        .boxed()
}

/// Whitespace a form or client may leave around a value.
pub fn padding() -> impl Strategy<Value = &'static str> {
    select(
        &[
            "", "", "", " ", "  ", "\t", "\n", "\r\n", "\u{3000}", "\u{a0}",
        ][..],
    )
}

/// Nothing but whitespace.
pub fn blank() -> impl Strategy<Value = String> {
    select(&["", " ", "\t\n", "\u{3000}", "\u{a0}", "\r\n  "][..]).prop_map(str::to_string)
}

/// One to three characters too many.
pub fn too_long(max: usize) -> BoxedStrategy<String> {
    (max + 1..=max + 3)
        .prop_flat_map(move |len| text_of(len, true))
        .boxed()
}

/// Control characters text of each kind refuses.
fn refused_controls(multiline: bool) -> &'static [char] {
    if multiline {
        &[
            '\0', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
        ]
    } else {
        &[
            '\0', '\n', '\r', '\t', '\u{7}', '\u{b}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
            '\u{200b}', '\u{202e}', '\u{2066}', '\u{feff}', '\u{2028}',
        ]
    }
}

/// Otherwise good text with a control character inside it that this kind of text refuses.
pub fn with_control(multiline: bool) -> BoxedStrategy<String> {
    (2..40usize)
        .prop_flat_map(move |len| {
            (
                text_of(len, multiline),
                1..len,
                select(refused_controls(multiline)),
            )
        })
        .prop_map(|(text, at, control)| {
            let mut chars: Vec<char> = text.chars().collect();
            chars.insert(at, control);
            chars.into_iter().collect()
        })
        .boxed()
}
