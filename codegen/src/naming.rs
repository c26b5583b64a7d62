//! Rust names as progenitor and typify derive them from spec names.
//!
//! Normalization picks names for the schemas it hoists and the
//! operationIds it derives, and the rewrites find generated items by
//! name; both must agree with the generator, so its rules are mirrored
//! here (typify-impl 0.8 `util::sanitize`, progenitor-impl 0.15
//! `util::sanitize`): drop `'`, turn every character that cannot continue
//! an identifier into a word break, convert the case with `heck`, fix a
//! bad first character and a keyword.

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// Target case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Type names (typify).
    Pascal,
    /// Method and field names (progenitor).
    Snake,
}

/// The identifier typify (Pascal) or progenitor (snake) makes of `input`.
pub fn sanitize(input: &str, case: Case) -> String {
    // typify prefixes type names with `X`, progenitor method names with `_`.
    let prefix = match case {
        Case::Pascal => "X",
        Case::Snake => "_",
    };
    finish(recased(input, case), case, prefix)
}

/// The words of `input` in `case`, before the first character and
/// keywords are fixed.
fn recased(input: &str, case: Case) -> String {
    let to_case = |s: &str| match case {
        Case::Pascal => s.to_pascal_case(),
        Case::Snake => s.to_snake_case(),
    };
    match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        // Nearly every spec name; heck costs about ten thousand
        // instructions a name, a quarter of a minute's generation profile
        // of GitHub's spec went to it.
        _ if input.is_ascii() => ascii_recased(input, case),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    }
}

/// [`recased`] for ASCII `input`, in one pass and one allocation, by
/// heck 0.5's rule: words are the runs of ASCII letters and digits (`'`
/// dropped first, so it joins what it separates); inside a run, a word
/// ends before an upper-case letter that follows a lower-case one (or
/// digits after one), and before the last upper-case letter of a run of
/// them that a lower-case letter follows (`HTTPServer` → `HTTP`,
/// `Server`). Snake case lowers every word and joins them with `_`;
/// Pascal case upper-cases each word's first character and lowers the
/// rest.
fn ascii_recased(input: &str, case: Case) -> String {
    let dropped;
    let text = if input.contains('\'') {
        dropped = input.replace('\'', "");
        dropped.as_bytes()
    } else {
        input.as_bytes()
    };
    let mut out = String::with_capacity(text.len() + 4);
    let mut first_word = true;
    let mut word = |w: &[u8], out: &mut String| {
        if case == Case::Snake && !first_word {
            out.push('_');
        }
        first_word = false;
        for (i, &b) in w.iter().enumerate() {
            let c = if i == 0 && case == Case::Pascal {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            };
            out.push(char::from(c));
        }
    };
    for run in text.split(|b| !b.is_ascii_alphanumeric()) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mode {
            Boundary,
            Lower,
            Upper,
        }
        let (mut start, mut mode) = (0, Mode::Boundary);
        for i in 0..run.len() {
            let (c, Some(&next)) = (run[i], run.get(i + 1)) else {
                word(&run[start..], &mut out);
                break;
            };
            let next_mode = match c {
                b'a'..=b'z' => Mode::Lower,
                b'A'..=b'Z' => Mode::Upper,
                _ => mode,
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                word(&run[start..=i], &mut out);
                (start, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&run[start..i], &mut out);
                (start, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
    out
}

/// `out` made an identifier: `prefix` before a bad first character, `_`
/// after a keyword.
fn finish(out: String, case: Case, prefix: &str) -> String {
    let out = match out.chars().next() {
        None => match case {
            Case::Pascal => "X".to_owned(),
            Case::Snake => "x".to_owned(),
        },
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// The field name typify gives the property `key` (typify-impl 0.8
/// `structs.rs`: `recase(key, Snake)`). Its rule differs from
/// [`sanitize`]'s snake case in one place: a name that cannot start an
/// identifier gets `x`, not `_` (`2fa` → `x2fa`).
pub fn field_name(key: &str) -> String {
    finish(recased(key, Case::Snake), Case::Snake, "x")
}

/// What normalization appends to a property key, with a number, to give
/// its field a name of its own: a control character no spec uses in a
/// name, and which every name rule reads as a word break, so `Guid` +
/// mark + `2` is the field `guid_2`.
pub const MARK: char = '\u{1}';

/// `key` renamed for Rust: the same wire name, the `n`th field of that name.
pub fn marked(key: &str, n: usize) -> String {
    format!("{key}{MARK}{n}")
}

/// The name on the wire of a key [`marked`] renamed (any other key is
/// its own).
pub fn wire_name(key: &str) -> &str {
    match key.rsplit_once(MARK) {
        Some((wire, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => wire,
        _ => key,
    }
}

fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// Whether a snake_case binding named `name` may also name a variant of
/// its own enum type (rustc's deny-by-default `bindings_with_variant_name`,
/// E0170). typify names variants in PascalCase and progenitor and typify
/// name fields and parameters in snake_case, so only a name without a
/// lowercase ASCII letter (`日本語`, `_1`) can be both.
pub(crate) fn may_name_a_variant(name: &str) -> bool {
    !name.bytes().any(|b| b.is_ascii_lowercase())
}

/// `base`, or `base2`, `base3`, … : the first whose Rust type name is not in
/// `taken`, which then holds it. The one way the generator makes a name
/// unique, so the same spec gives the same names run after run.
pub(crate) fn fresh_type_name(base: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&sanitize(&candidate, Case::Pascal)) {
        candidate = format!("{base}{n}");
        n += 1;
    }
    taken.insert(sanitize(&candidate, Case::Pascal));
    candidate
}

/// `updateCharacter` → `UPDATE_CHARACTER`; anything not alphanumeric
/// separates words. Never empty and never starts with a digit.
pub(crate) fn screaming_snake(id: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let trimmed = out.trim_end_matches('_');
    match trimmed.chars().next() {
        None => "OPERATION".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("OP_{trimmed}"),
        Some(_) => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path agrees with heck on every string of up to six
    /// characters over letters of both cases, digits and the separators
    /// that matter (`_`, `-`, space, `'`, `.`).
    #[test]
    fn ascii_fast_path_is_heck() {
        const ALPHABET: &[u8] = b"aB1_- '.Z";
        let heck = |s: &str, case: Case| {
            let s = s
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-");
            match case {
                Case::Pascal => s.to_pascal_case(),
                Case::Snake => s.to_snake_case(),
            }
        };
        let mut word = Vec::new();
        // Every string of each length, as a number in base ALPHABET.len().
        for len in 0..=6u32 {
            for mut n in 0..ALPHABET.len().pow(len) {
                word.clear();
                for _ in 0..len {
                    word.push(ALPHABET[n % ALPHABET.len()]);
                    n /= ALPHABET.len();
                }
                let s = std::str::from_utf8(&word).unwrap();
                for case in [Case::Pascal, Case::Snake] {
                    assert_eq!(ascii_recased(s, case), heck(s, case), "{s:?} {case:?}");
                }
            }
        }
        for s in [
            "HTTPServer",
            "getHTTPResponseCode",
            "XMLHttpRequest",
            "v2Beta3",
            "ABC",
            "aBC",
        ] {
            for case in [Case::Pascal, Case::Snake] {
                assert_eq!(ascii_recased(s, case), heck(s, case), "{s:?} {case:?}");
            }
        }
    }

    #[test]
    fn mirrors_the_generator() {
        assert_eq!(sanitize("updateCharacter", Case::Snake), "update_character");
        assert_eq!(
            sanitize("actions/get-repo", Case::Snake),
            "actions_get_repo"
        );
        assert_eq!(sanitize("find pet by id", Case::Snake), "find_pet_by_id");
        assert_eq!(sanitize("self", Case::Snake), "self_");
        assert_eq!(sanitize("2fa", Case::Snake), "_2fa");
        assert_eq!(sanitize("visibility", Case::Pascal), "Visibility");
        assert_eq!(
            sanitize("update-character-body", Case::Pascal),
            "UpdateCharacterBody"
        );
        assert_eq!(sanitize("2fa", Case::Pascal), "X2fa");
        assert_eq!(sanitize("", Case::Pascal), "X");
    }

    #[test]
    fn field_names_are_typify_s() {
        assert_eq!(field_name("Guid"), "guid");
        assert_eq!(field_name("2fa"), "x2fa");
        assert_eq!(field_name("_2fa"), "x2fa");
        assert_eq!(field_name(""), "x");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("a.b"), "a_b");
        assert_eq!(field_name("café"), "café");
        assert_eq!(field_name(&marked("Guid", 2)), "guid_2");
        assert_eq!(field_name(&marked("", 2)), "x2");
        assert_eq!(field_name(&marked("2fa", 3)), "x2fa_3");
    }

    #[test]
    fn marked_keys_keep_their_wire_name() {
        assert_eq!(wire_name(&marked("Guid", 2)), "Guid");
        assert_eq!(wire_name(&marked("", 12)), "");
        assert_eq!(wire_name("Guid"), "Guid");
        assert_eq!(wire_name("a\u{1}b"), "a\u{1}b");
    }

    #[test]
    fn constant_names() {
        assert_eq!(screaming_snake("updateCharacter"), "UPDATE_CHARACTER");
        assert_eq!(screaming_snake("get-v1/foo.bar"), "GET_V1_FOO_BAR");
        assert_eq!(screaming_snake("v2Items"), "V2_ITEMS");
        assert_eq!(screaming_snake("2fa"), "OP_2FA");
        assert_eq!(screaming_snake("__"), "OPERATION");
    }
}
