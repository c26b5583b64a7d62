//! The last check of generation: no module declares two types of one name.
//!
//! typify names types after schemas, and two schemas can come out under one
//! name; `normalize/rust_names.rs` and `normalize/hoist.rs` rename the
//! cases known before generation, where each `$ref` still says which
//! schema it means. Afterwards nothing can be renamed (every use of both
//! types is spelled alike), so a case they do not foresee is caught here:
//! an internal error naming the type, rather than a file that does not
//! compile in the user's crate.

use std::collections::HashSet;

use syn::Item;

/// `Err` with the first name declared twice in one module, by its path
/// (`crate::types::Metadata`).
pub(crate) fn check(file: &syn::File) -> Result<(), String> {
    check_items(&file.items, "crate")
}

fn check_items(items: &[Item], module: &str) -> Result<(), String> {
    let mut seen = HashSet::new();
    for item in items {
        // Only the type namespace: a function beside a struct of its name
        // is legal Rust.
        let name = match item {
            Item::Struct(i) => &i.ident,
            Item::Enum(i) => &i.ident,
            Item::Union(i) => &i.ident,
            Item::Type(i) => &i.ident,
            Item::Trait(i) => &i.ident,
            Item::Mod(i) => &i.ident,
            _ => continue,
        };
        if !seen.insert(name) {
            return Err(format!("{module}::{name}"));
        }
        if let Item::Mod(m) = item
            && let Some((_, inner)) = &m.content
        {
            check_items(inner, &format!("{module}::{}", m.ident))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_source(source: &str) -> Result<(), String> {
        check(&syn::parse_str(source).unwrap())
    }

    #[test]
    fn a_type_declared_twice_in_one_module_is_named() {
        let err = check_source(
            "pub mod types { pub struct Metadata { a: u8 } pub struct Metadata { b: u8 } }",
        )
        .unwrap_err();
        assert_eq!(err, "crate::types::Metadata");
        let err = check_source("pub mod types { pub struct A; pub type A = u8; }").unwrap_err();
        assert_eq!(err, "crate::types::A");
    }

    #[test]
    fn names_in_other_modules_or_namespaces_are_distinct() {
        check_source(
            "pub mod types { pub struct A; pub mod error { pub struct A; } } \
             pub mod builder { pub struct A; } pub struct Client {} \
             impl Client { fn a() {} } fn Client() {} impl Client {}",
        )
        .unwrap();
    }
}
