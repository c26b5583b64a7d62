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
    let to_case = |s: &str| match case {
        Case::Pascal => s.to_pascal_case(),
        Case::Snake => s.to_snake_case(),
    };
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if is_xid_start(c) => out,
        // typify prefixes type names with `X`, progenitor method names with `_`.
        Some(_) => match case {
            Case::Pascal => format!("X{out}"),
            Case::Snake => format!("_{out}"),
        },
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
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
}
