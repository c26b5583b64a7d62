//! Multi-file specs: `Spec::load` follows relative file references and
//! bundles them into one document; the generated code is guarded by insta,
//! and every problem is located in the file that has it.

use std::path::{Path, PathBuf};

use codegen::{Diagnostic, Error, Location, Settings, Spec};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

const FIXTURE: &str = "codegen/tests/fixtures/multi_file/api/root.yaml";

#[test]
fn multi_file_fixture() {
    // Relative to the workspace root, so names do not depend on the machine.
    std::env::set_current_dir(root()).unwrap();
    let spec = Spec::load(FIXTURE).unwrap();
    let names: Vec<&str> = spec.files().iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            FIXTURE,
            "codegen/tests/fixtures/multi_file/api/models/droplet.yaml",
            "codegen/tests/fixtures/multi_file/shared/error.json",
            "codegen/tests/fixtures/multi_file/api/resources/droplets/list.yml",
            "codegen/tests/fixtures/multi_file/api/resources/droplets/item.yaml",
            "codegen/tests/fixtures/multi_file/api/models/backup.yaml",
            "codegen/tests/fixtures/multi_file/api/models/parameters.yaml",
            "codegen/tests/fixtures/multi_file/shared/responses.yaml",
        ]
    );
    let settings = Settings {
        spec_label: Some(FIXTURE.to_owned()),
        ..Default::default()
    };
    let generated = codegen::generate(&spec, &settings).unwrap();
    // What normalization says about a node of another file is located there.
    let shown: Vec<String> = generated
        .warnings
        .iter()
        .map(|d| {
            let l = d.location.unwrap();
            format!(
                "{}:{}:{} #{}",
                d.file,
                l.line,
                l.column,
                d.pointer.as_deref().unwrap()
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "codegen/tests/fixtures/multi_file/api/resources/droplets/list.yml:17:3 #/responses/default",
            "codegen/tests/fixtures/multi_file/api/resources/droplets/item.yaml:16:5 #/get/responses/default",
        ],
        "{:#?}",
        generated.warnings
    );
    insta::assert_snapshot!("multi_file", generated.code);
}

/// Writes `files` into a directory of their own and loads `root.yaml`.
/// The directory is under cargo's `target/tmp`, one per case, emptied
/// first: runs do not pile up in the system's temporary directory.
fn load(case: &str, files: &[(&str, &str)]) -> Result<Spec, Error> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("multi-file-{case}"));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, text) in files {
        let path = dir.join("api").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    Spec::load(dir.join("api/root.yaml"))
}

fn errors(result: Result<Spec, Error>) -> Vec<Diagnostic> {
    match result.and_then(|spec| codegen::generate(&spec, &Settings::default())) {
        Err(Error::Spec(report)) => report
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error())
            .collect(),
        Err(other) => panic!("expected spec diagnostics, got {other}"),
        Ok(_) => panic!("expected the spec to be rejected"),
    }
}

#[track_caller]
fn assert_at(d: &Diagnostic, file: &str, pointer: &str, line: usize, column: usize) {
    assert!(d.file.ends_with(file), "{d}");
    assert_eq!(d.pointer.as_deref(), Some(pointer), "{d}");
    assert_eq!(d.location, Some(Location { line, column }), "{d}");
}

const HEAD: &str =
    "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n";

#[test]
fn remote_references_are_not_fetched() {
    let all = errors(load(
        "remote",
        &[(
            "root.yaml",
            &format!("{HEAD}    A:\n      $ref: 'https://example.com/a.yaml#/A'\n"),
        )],
    ));
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].message,
        "remote reference `https://example.com/a.yaml#/A` is not supported: builds do not fetch"
    );
    assert_at(
        &all[0],
        "api/root.yaml",
        "/components/schemas/A/$ref",
        9,
        13,
    );
}

#[test]
fn a_missing_file_is_located_at_the_reference() {
    let all = errors(load(
        "missing-file",
        &[
            (
                "root.yaml",
                &format!("{HEAD}    A:\n      $ref: 'models/a.yaml'\n"),
            ),
            ("models/b.yaml", "type: string\n"),
        ],
    ));
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(
        all[0].message.starts_with("cannot read `")
            && all[0]
                .message
                .contains("api/models/a.yaml` (referenced as `models/a.yaml`)"),
        "{}",
        all[0].message
    );
    assert_at(
        &all[0],
        "api/root.yaml",
        "/components/schemas/A/$ref",
        9,
        13,
    );
}

#[test]
fn a_missing_pointer_in_another_file_is_located_at_the_reference() {
    let all = errors(load(
        "missing-pointer",
        &[
            (
                "root.yaml",
                &format!("{HEAD}    A:\n      $ref: 'models/a.yaml#/A'\n"),
            ),
            (
                "models/a.yaml",
                "B:\n  type: object\n  properties:\n    c: {$ref: '../shared.yaml#/Nope'}\n",
            ),
            ("shared.yaml", "C: {type: string}\n"),
        ],
    ));
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(
        all[0]
            .message
            .starts_with("dangling reference `models/a.yaml#/A`: nothing is defined at `/A` in "),
        "{}",
        all[0].message
    );
    assert_at(
        &all[0],
        "api/root.yaml",
        "/components/schemas/A/$ref",
        9,
        13,
    );
    assert!(
        all[1]
            .message
            .starts_with("dangling reference `../shared.yaml#/Nope`"),
        "{}",
        all[1].message
    );
    assert_at(&all[1], "api/models/a.yaml", "/B/properties/c/$ref", 4, 15);
}

#[test]
fn an_error_inside_a_referenced_file_is_located_there() {
    // An unknown `type` is a warning; denied, it is an error like any.
    let denied = Settings {
        deny_warnings: true,
        ..Default::default()
    };
    let all = match load(
        "bad-type",
        &[
            (
                "root.yaml",
                &format!("{HEAD}    A:\n      $ref: 'models/x.yaml#/X'\n"),
            ),
            (
                "models/x.yaml",
                "X:\n  type: object\n  properties:\n    size:\n      type: integr\n",
            ),
        ],
    )
    .and_then(|spec| codegen::generate(&spec, &denied))
    {
        Err(Error::Spec(report)) => report.diagnostics,
        _ => panic!("expected the spec to be rejected"),
    };
    assert!(!all.is_empty());
    let d = &all[0];
    assert!(d.message.contains("integr"), "{d}");
    assert!(d.file.ends_with("api/models/x.yaml"), "{d}");
    assert!(
        d.pointer
            .as_deref()
            .unwrap()
            .starts_with("/X/properties/size"),
        "{d}"
    );
    assert_eq!(d.location.map(|l| l.line), Some(5), "{d}");
}

#[test]
fn a_spec_in_memory_cannot_follow_files() {
    let spec = Spec::from_bytes(
        "s.yaml",
        format!("{HEAD}    A:\n      $ref: 'a.yaml'\n").as_bytes(),
    )
    .unwrap();
    let err = codegen::generate(&spec, &Settings::default()).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.message, "external reference `a.yaml` is not supported");
    assert_eq!(
        d.location,
        Some(Location {
            line: 9,
            column: 13
        })
    );
}

#[test]
fn the_digest_covers_every_file() {
    let one = load(
        "digest-1",
        &[
            (
                "root.yaml",
                &format!("{HEAD}    A:\n      $ref: 'a.yaml'\n"),
            ),
            ("a.yaml", "type: string\n"),
        ],
    )
    .unwrap();
    let two = load(
        "digest-2",
        &[
            (
                "root.yaml",
                &format!("{HEAD}    A:\n      $ref: 'a.yaml'\n"),
            ),
            ("a.yaml", "type: integer\n"),
        ],
    )
    .unwrap();
    assert_eq!(one.files()[0].sha256(), two.files()[0].sha256());
    assert_ne!(one.files()[1].sha256(), two.files()[1].sha256());
    assert_ne!(one.sha256(), two.sha256());
    // One file: the digest of its bytes.
    let single = load(
        "digest-3",
        &[("root.yaml", &format!("{HEAD}    A: {{type: string}}\n"))],
    )
    .unwrap();
    assert_eq!(single.files().len(), 1);
    assert_eq!(single.sha256(), single.files()[0].sha256());
}

/// A `$ref` of every kind (path item, parameter, response, request body,
/// header, link, example, callback, schema) to a pointer outside
/// `components` of another file, and from that file to pointers in itself
/// and in a third: every one resolves, the spec generates.
#[test]
fn references_of_every_kind_to_any_pointer_of_another_file() {
    let spec = load(
        "every-kind",
        &[
            ("root.yaml", ROOT_EVERY_KIND),
            ("shared.yaml", SHARED_EVERY_KIND),
            ("errors.yaml", ERRORS_EVERY_KIND),
        ],
    )
    .unwrap();
    let generated = codegen::generate(&spec, &Settings::default())
        .unwrap_or_else(|e| panic!("expected the spec to generate, got\n{e}"));
    // References between files are no warning: the files are one document.
    assert!(generated.warnings.is_empty(), "{:#?}", generated.warnings);
    let code = &generated.code;
    for method in ["list_pets", "create_pet", "get_pet", "replace_pet"] {
        assert!(
            code.contains(&format!("pub fn {method}(&self)")),
            "{method}"
        );
    }
    // The parameter, by reference, of `getPet` and `createPet`.
    assert_eq!(code.matches("pub fn limit(").count(), 3, "{code}");
    assert!(code.contains("pub struct Pet {"));
    // The third file's error response types the error.
    assert!(code.contains("pub struct Problem {"));
    assert_eq!(generated.coverage.operations, 4);
    assert!(generated.coverage.operations_degraded.is_empty());
}

const ROOT_EVERY_KIND: &str = r#"openapi: 3.0.3
info:
  title: Pointer references across files
  version: '1'
paths:
  /pets:
    $ref: 'shared.yaml#/paths/~1pets'
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - $ref: 'shared.yaml#/paths/~1pets/get/parameters/0'
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          $ref: 'shared.yaml#/paths/~1pets/get/responses/200'
    put:
      operationId: replacePet
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      requestBody:
        $ref: 'shared.yaml#/paths/~1pets/post/requestBody'
      callbacks:
        created:
          $ref: 'shared.yaml#/paths/~1pets/post/callbacks/created'
      responses:
        '200':
          description: Replaced
          headers:
            X-Total:
              $ref: 'shared.yaml#/paths/~1pets/get/responses/200/headers/X-Total'
          links:
            first:
              $ref: 'shared.yaml#/paths/~1pets/get/responses/200/links/first'
          content:
            application/json:
              schema:
                $ref: 'shared.yaml#/pet'
              examples:
                one:
                  $ref: 'shared.yaml#/paths/~1pets/get/responses/200/content/application~1json/examples/one'
"#;

const SHARED_EVERY_KIND: &str = r#"paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
      responses:
        '200':
          description: The pets
          headers:
            X-Total:
              schema:
                type: integer
          links:
            first:
              operationId: getPet
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/pet'
              examples:
                one:
                  value: []
    post:
      operationId: createPet
      parameters:
        - $ref: '#/paths/~1pets/get/parameters/0'
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/pet'
      callbacks:
        created:
          '{$request.body#/callback}':
            post:
              responses:
                '200':
                  description: Acknowledged
      responses:
        '201':
          description: Created
          headers:
            X-Total:
              $ref: '#/paths/~1pets/get/responses/200/headers/X-Total'
        '401':
          $ref: 'errors.yaml#/responses/unauthorized'
pet:
  type: object
  required: [id]
  properties:
    id:
      type: string
    parent:
      $ref: '#/pet'
"#;

const ERRORS_EVERY_KIND: &str = r#"responses:
  unauthorized:
    description: Not authenticated
    content:
      application/json:
        schema:
          $ref: '#/problem'
problem:
  type: object
  properties:
    message:
      type: string
"#;
