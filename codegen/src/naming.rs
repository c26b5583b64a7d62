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
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    }
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
