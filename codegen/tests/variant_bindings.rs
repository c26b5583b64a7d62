//! A required parameter whose Rust name has no lowercase ASCII letter
//! (`言語`) can also name a variant of its own enum (typify's variant of
//! the value `言語` is `言語`); rustc denies such a binding (E0170) unless
//! the lint is allowed. specfuzz found it in a builder's `send()`
//! (`--seed 108 --start 81 --with …`); the models' `new()` had the same
//! class and renames its binding. The fixtures cannot hold the case: Prism
//! does not read parameters with non-ASCII names back (it percent-encodes
//! the spec's names and not the request's), so CI's contract run would
//! fail on it; the compile check is specfuzz's.

fn generated(spec: &str) -> String {
    let spec = codegen::Spec::from_bytes("variant_bindings.yaml", spec.as_bytes()).unwrap();
    codegen::generate(&spec, &codegen::Settings::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .code
}

#[test]
fn a_binding_that_may_name_a_variant_allows_the_lint() {
    let code = generated(
        r#"
openapi: 3.0.3
info: {title: bindings, version: '1'}
paths:
  /labels/{言語}:
    get:
      operationId: get_label
      parameters:
        - {name: 言語, in: path, required: true, schema: {type: string, enum: [言語, 英語]}}
        - {name: 日本語, in: query, required: true, schema: {type: string, enum: [日本語, 英語]}}
        - {name: lang, in: query, required: true, schema: {type: string, enum: [lang, en]}}
      responses:
        '204': {description: found}
"#,
    );
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    for name in ["言語", "日本語"] {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("let {name} = ")))
            .unwrap_or_else(|| panic!("no binding of {name}:\n{code}"));
        assert_eq!(
            lines[at - 1],
            "#[allow(bindings_with_variant_name)]",
            "{name}"
        );
    }
    let at = lines
        .iter()
        .position(|l| l.starts_with("let lang = "))
        .unwrap();
    assert_ne!(lines[at - 1], "#[allow(bindings_with_variant_name)]");
    // The variant exists: the case is real.
    assert!(code.contains("言語,"), "{code}");
}
