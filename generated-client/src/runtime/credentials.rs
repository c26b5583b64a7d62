//! Which credentials a call sends: the first alternative of the operation's
//! security requirement the client holds every credential of, chosen once
//! before anything is sent and applied to every attempt.

use reqwest::Request;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

use super::operation::Operation;
use super::security::{ApiKeyLocation, SchemeKind, SecurityScheme};
use super::state::Settings;
use crate::credential::Credential;
use crate::error::{Error, ErrorKind};
use crate::key::ApiKey;

/// What one call adds to each of its requests.
pub(super) struct Plan<'a> {
    parts: Vec<Part<'a>>,
}

enum Part<'a> {
    Header(HeaderName, HeaderValue),
    /// `name=value` pairs of the `Cookie` header, joined.
    Cookies(HeaderValue),
    Query(&'static str, &'a str),
}

/// The credential the client holds for a scheme.
enum Found<'a> {
    /// The scheme's own credential, or the client's bearer token for a
    /// bearer-like scheme.
    Named(&'a Credential),
    Key(&'a ApiKey),
    Missing,
    /// The client's key (or bearer token) is of a kind this scheme does
    /// not take.
    WrongKey,
}

/// The credentials `op` is sent with, or why it cannot be sent.
pub(super) fn authorize<'a>(settings: &'a Settings, op: &Operation) -> Result<Plan<'a>, Error> {
    let mut wrong_key = false;
    // An empty alternative (`- {}`: credentials optional) is always met;
    // wherever the spec lists it, credentials the client holds for another
    // alternative are sent first, and it is the fallback.
    let mut optional = op.security.is_empty();
    for &alternative in op.security {
        if alternative.is_empty() {
            optional = true;
            continue;
        }
        let mut complete = true;
        for scheme in alternative {
            match find(settings, scheme) {
                Found::Named(_) | Found::Key(_) => {}
                Found::Missing => complete = false,
                Found::WrongKey => (complete, wrong_key) = (false, true),
            }
        }
        if complete {
            let mut plan = plan(settings, op, alternative)?;
            plan.add_defaults(settings);
            return Ok(plan);
        }
    }
    if optional {
        let mut plan = Plan { parts: Vec::new() };
        plan.add_defaults(settings);
        return Ok(plan);
    }
    Err(unsatisfied(settings, op, wrong_key).with_operation(op.id))
}

fn find<'a>(settings: &'a Settings, scheme: &SecurityScheme) -> Found<'a> {
    if let Some(credential) = settings.credentials.get(scheme.name) {
        return Found::Named(credential);
    }
    let key = match &settings.api_key {
        Some(key) if scheme.keys.contains(&key.kind()) => return Found::Key(key),
        Some(_) if !scheme.keys.is_empty() => Found::WrongKey,
        _ => Found::Missing,
    };
    match &settings.bearer_token {
        Some(token) if scheme.kind == SchemeKind::Bearer => {
            if prefix_allows(scheme, token) {
                Found::Named(token)
            } else {
                Found::WrongKey
            }
        }
        _ => key,
    }
}

/// Whether a bearer token meets the prefix `scheme` declares: the spec's
/// `x-key-prefix` leaves the scheme one key kind (without it, both),
/// and only then is the token's prefix checked.
fn prefix_allows(scheme: &SecurityScheme, token: &Credential) -> bool {
    match scheme.keys {
        [only] => token.token().is_some_and(|t| t.starts_with(only.prefix())),
        _ => true,
    }
}

/// The parts of an alternative whose every scheme has a credential (a
/// scheme found missing now adds nothing).
fn plan<'a>(
    settings: &'a Settings,
    op: &Operation,
    schemes: &[&'static SecurityScheme],
) -> Result<Plan<'a>, Error> {
    let mut parts = Vec::with_capacity(schemes.len());
    let mut cookies = String::new();
    for scheme in schemes {
        let credential = match find(settings, scheme) {
            Found::Named(c) => c,
            // Only a bearer-like scheme takes the key (its `keys` say so).
            Found::Key(key) => {
                parts.push(Part::Header(AUTHORIZATION, key.authorization().clone()));
                continue;
            }
            Found::Missing | Found::WrongKey => continue,
        };
        let mismatch = |needs: &str| {
            Error::configuration(format!(
                "`{}`: the credential for `{}` ({}) is {}; it needs {needs}",
                op.id,
                scheme.name,
                scheme.kind,
                if credential.is_basic() {
                    "a Basic one"
                } else {
                    "a token"
                },
            ))
            .with_operation(op.id)
        };
        let needs_token = || mismatch("a token (`Credential::new`)");
        let token = || credential.token().ok_or_else(needs_token);
        match scheme.kind {
            SchemeKind::Bearer => {
                token()?;
                parts.push(Part::Header(
                    AUTHORIZATION,
                    credential.authorization().clone(),
                ));
            }
            SchemeKind::Basic => {
                if !credential.is_basic() {
                    return Err(mismatch("a user and password (`Credential::basic`)"));
                }
                parts.push(Part::Header(
                    AUTHORIZATION,
                    credential.authorization().clone(),
                ));
            }
            SchemeKind::Http { scheme: name } => {
                let value = format!("{name} {}", token()?);
                let mut value = HeaderValue::try_from(value).map_err(|_| {
                    Error::configuration(format!(
                        "`{}`: the scheme `{}` is not a valid `Authorization` scheme",
                        op.id, scheme.name
                    ))
                    .with_operation(op.id)
                })?;
                value.set_sensitive(true);
                parts.push(Part::Header(AUTHORIZATION, value));
            }
            SchemeKind::ApiKey { location, name } => {
                let value = token()?;
                match location {
                    ApiKeyLocation::Header => {
                        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                            Error::configuration(format!(
                                "`{}`: the scheme `{}` names the header `{name}`, which is not a valid header name",
                                op.id, scheme.name
                            ))
                            .with_operation(op.id)
                        })?;
                        let raw = credential.raw_header().ok_or_else(needs_token)?;
                        parts.push(Part::Header(header, raw.clone()));
                    }
                    ApiKeyLocation::Query => parts.push(Part::Query(name, value)),
                    ApiKeyLocation::Cookie => {
                        if let Some(pos) = value.chars().position(|c| !is_cookie_char(c)) {
                            return Err(Error::configuration(format!(
                                "`{}`: the credential for `{}` ({}) has a character a cookie cannot carry (at position {pos})",
                                op.id, scheme.name, scheme.kind
                            ))
                            .with_operation(op.id));
                        }
                        if !cookies.is_empty() {
                            cookies.push_str("; ");
                        }
                        cookies.push_str(name);
                        cookies.push('=');
                        cookies.push_str(value);
                    }
                }
            }
        }
    }
    if !cookies.is_empty() {
        let value = HeaderValue::try_from(cookies).map_err(|_| {
            Error::configuration(format!("`{}`: a cookie name is not valid", op.id))
                .with_operation(op.id)
        })?;
        parts.push(Part::Cookies(sensitive(value)));
    }
    Ok(Plan { parts })
}

/// RFC 6265's `cookie-octet`: printable ASCII but space, `"`, `,`, `;`, `\`.
fn is_cookie_char(c: char) -> bool {
    ('!'..='~').contains(&c) && !matches!(c, '"' | ',' | ';' | '\\')
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

/// No alternative is complete: a key of the wrong kind, or what is missing.
fn unsatisfied(settings: &Settings, op: &Operation, wrong_key: bool) -> Error {
    if let (true, None, Some(_)) = (wrong_key, &settings.api_key, &settings.bearer_token) {
        let prefixes: Vec<String> = op
            .keys
            .iter()
            .map(|k| format!("`{}`", k.prefix()))
            .collect();
        return Error::new(
            ErrorKind::KeyNotAllowed,
            format!(
                "`{}` needs a bearer token starting with {} (the spec's `x-key-prefix`)",
                op.id,
                prefixes.join(" or ")
            ),
        );
    }
    if let (true, Some(key)) = (wrong_key, &settings.api_key) {
        let accepted: Vec<String> = op.keys.iter().map(ToString::to_string).collect();
        return Error::new(
            ErrorKind::KeyNotAllowed,
            format!(
                "`{}` cannot be called with a {}; it needs a {}",
                op.id,
                key.kind(),
                accepted.join(" or ")
            ),
        );
    }
    let mut takes_key = false;
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|alternative| {
            let missing: Vec<String> = alternative
                .iter()
                .filter(|s| matches!(find(settings, s), Found::Missing | Found::WrongKey))
                .map(|s| {
                    takes_key |= !s.keys.is_empty();
                    format!("`{}` ({})", s.name, s.kind)
                })
                .collect();
            missing.join(" and ")
        })
        .collect();
    let key_hint = if takes_key {
        ", or a bearer token with `ClientBuilder::api_key`"
    } else {
        ""
    };
    Error::configuration(format!(
        "`{}` needs credentials the client does not have: {}; set them with \
         `ClientBuilder::credential(scheme, Credential::…)`{key_hint}",
        op.id,
        alternatives.join(", or ")
    ))
}

impl<'a> Plan<'a> {
    /// The credentials the client sends on every call
    /// (`ClientBuilder::bearer_token`, `credential_header`), for the
    /// headers the chosen alternative left unset: what the spec asks for
    /// comes first.
    fn add_defaults(&mut self, settings: &'a Settings) {
        let set = |parts: &[Part<'_>], header: &HeaderName| {
            parts
                .iter()
                .any(|part| matches!(part, Part::Header(name, _) if name == header))
        };
        if let Some(token) = &settings.bearer_token
            && !set(&self.parts, &AUTHORIZATION)
        {
            self.parts
                .push(Part::Header(AUTHORIZATION, token.authorization().clone()));
        }
        for (name, credential) in &settings.credential_headers {
            // `build` turned Basic credentials away.
            if let Some(value) = credential.raw_header()
                && !set(&self.parts, name)
            {
                self.parts.push(Part::Header(name.clone(), value.clone()));
            }
        }
    }

    /// Every header the credentials are sent in, and every query
    /// parameter: what an extra header or query parameter may not set.
    pub(super) fn names(&self) -> (Vec<HeaderName>, Vec<&str>) {
        let mut headers = Vec::new();
        let mut query = Vec::new();
        for part in &self.parts {
            match part {
                Part::Header(name, _) => headers.push(name.clone()),
                Part::Cookies(_) => headers.push(COOKIE),
                Part::Query(name, _) => query.push(*name),
            }
        }
        (headers, query)
    }

    /// The `apiKey` headers among the credentials: what reqwest's own
    /// redirect follower would send on to another origin.
    pub(super) fn custom_headers(&self) -> Vec<HeaderName> {
        let custom = self.parts.iter().filter_map(|part| match part {
            Part::Header(name, _) if name != AUTHORIZATION => Some(name.clone()),
            _ => None,
        });
        custom.collect()
    }

    /// Whether reqwest's follower would carry a secret to another origin:
    /// an `apiKey` header, or a query key in the `Referer` it sets.
    pub(super) fn unsafe_to_redirect(&self) -> bool {
        self.parts.iter().any(|part| match part {
            Part::Header(name, _) => name != AUTHORIZATION,
            Part::Query(..) => true,
            Part::Cookies(_) => false,
        })
    }

    /// Adds the credentials to one attempt's request.
    pub(super) fn apply(&self, request: &mut Request) {
        for part in &self.parts {
            match part {
                Part::Header(name, value) => {
                    request.headers_mut().insert(name.clone(), value.clone());
                }
                Part::Cookies(ours) => {
                    let headers = request.headers_mut();
                    // A cookie parameter of the operation was set first.
                    let joined = headers.get(COOKIE).and_then(|theirs| {
                        let bytes = [theirs.as_bytes(), b"; ", ours.as_bytes()].concat();
                        HeaderValue::from_bytes(&bytes).ok().map(sensitive)
                    });
                    headers.insert(COOKIE, joined.unwrap_or_else(|| ours.clone()));
                }
                Part::Query(name, value) => {
                    request.url_mut().query_pairs_mut().append_pair(name, value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::KeyKind;
    use crate::runtime::Requirement;
    use crate::{Client, ClientBuilder};

    static TOKEN_SCHEME: SecurityScheme = SecurityScheme {
        name: "custom",
        kind: SchemeKind::Http { scheme: "Token" },
        keys: &[],
    };
    static SESSION: SecurityScheme = SecurityScheme {
        name: "session",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name: "sid",
        },
        keys: &[],
    };
    static THEME: SecurityScheme = SecurityScheme {
        name: "theme",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name: "theme",
        },
        keys: &[],
    };
    static BAD_HEADER: SecurityScheme = SecurityScheme {
        name: "odd",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "not a header",
        },
        keys: &[],
    };
    static SECRET_ONLY: SecurityScheme = SecurityScheme {
        name: "secretKey",
        kind: SchemeKind::Bearer,
        keys: &[KeyKind::Secret],
    };

    static ANY_BEARER: SecurityScheme = SecurityScheme {
        name: "bearerAuth",
        kind: SchemeKind::Bearer,
        keys: &[KeyKind::Secret, KeyKind::Publishable],
    };
    static KEY_HEADER: SecurityScheme = SecurityScheme {
        name: "keyHeader",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name: "X-Api-Key",
        },
        keys: &[],
    };

    static BY_ANY_BEARER: Requirement = &[&[&ANY_BEARER]];
    static BY_KEY_HEADER: Requirement = &[&[&KEY_HEADER]];
    static BY_TOKEN: Requirement = &[&[&TOKEN_SCHEME]];
    static BY_COOKIES: Requirement = &[&[&SESSION, &THEME]];
    static BY_BAD_HEADER: Requirement = &[&[&BAD_HEADER]];
    static BY_SECRET_KEY: Requirement = &[&[&SECRET_ONLY]];
    static OPTIONAL_FIRST: Requirement = &[&[], &[&SESSION]];

    fn op(security: Requirement) -> Operation {
        Operation {
            id: "op",
            method: "GET",
            path: "/",
            keys: &[KeyKind::Secret],
            returns_redirect: false,
            idempotent: true,
            idempotency_key: None,
            request_id_header: None,
            security,
        }
    }

    fn applied(builder: ClientBuilder, op: &Operation) -> Result<Request, Error> {
        let client = builder.build().unwrap();
        let mut request = Request::new(reqwest::Method::GET, "http://127.0.0.1/x".parse().unwrap());
        request
            .headers_mut()
            .insert(COOKIE, HeaderValue::from_static("lang=en"));
        authorize(&client.inner.0, op)?.apply(&mut request);
        Ok(request)
    }

    fn named(scheme: &str, secret: &str) -> ClientBuilder {
        Client::builder().credential(scheme, Credential::new(secret).unwrap())
    }

    #[test]
    fn another_http_scheme_sends_its_own_name() {
        let request = applied(named("custom", "abc"), &op(BY_TOKEN)).unwrap();
        let value = &request.headers()[AUTHORIZATION];
        assert_eq!(value, "Token abc");
        assert!(value.is_sensitive());
    }

    #[test]
    fn cookies_join_the_operations_own() {
        let builder = named("session", "s1").credential("theme", Credential::new("dark").unwrap());
        let request = applied(builder, &op(BY_COOKIES)).unwrap();
        let value = &request.headers()[COOKIE];
        assert_eq!(value, "lang=en; sid=s1; theme=dark");
        assert!(value.is_sensitive());
    }

    #[test]
    fn a_header_name_the_spec_got_wrong_is_an_error_not_a_panic() {
        let err = applied(named("odd", "abc"), &op(BY_BAD_HEADER)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(err.to_string().contains("`not a header`"), "{err}");
    }

    #[test]
    fn a_key_of_the_wrong_kind_is_not_allowed_as_before() {
        let builder = Client::builder().api_key(ApiKey::new("pk_test_1").unwrap());
        let err = applied(builder, &op(BY_SECRET_KEY)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::KeyNotAllowed);
        assert_eq!(
            err.to_string(),
            "op: key not allowed for this operation: `op` cannot be called with a \
             publishable key (pk_…); it needs a secret key (sk_…)"
        );
        // Without any key, what is missing.
        let err = applied(Client::builder(), &op(BY_SECRET_KEY)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(
            err.to_string().contains("`secretKey` (bearer token)"),
            "{err}"
        );
    }

    #[test]
    fn no_requirement_adds_nothing() {
        let builder = named("session", "s1").api_key(ApiKey::new("sk_test_1").unwrap());
        let request = applied(builder, &op(&[])).unwrap();
        assert!(request.headers().get(AUTHORIZATION).is_none());
        assert_eq!(request.headers()[COOKIE], "lang=en");
        assert_eq!(request.url().query(), None);
    }

    #[test]
    fn an_optional_alternative_listed_first_still_sends_what_the_client_holds() {
        let request = applied(named("session", "s1"), &op(OPTIONAL_FIRST)).unwrap();
        assert_eq!(request.headers()[COOKIE], "lang=en; sid=s1");
        // Without it, the call goes out bare rather than being refused.
        let request = applied(Client::builder(), &op(OPTIONAL_FIRST)).unwrap();
        assert_eq!(request.headers()[COOKIE], "lang=en");
    }

    fn bearer(token: &str) -> ClientBuilder {
        Client::builder().bearer_token(Credential::new(token).unwrap())
    }

    #[test]
    fn a_bearer_token_meets_a_bearer_scheme_without_a_declared_prefix() {
        let request = applied(bearer("ghp_abc"), &op(BY_ANY_BEARER)).unwrap();
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer ghp_abc");
    }

    #[test]
    fn a_bearer_token_is_checked_against_a_declared_prefix() {
        // `x-key-prefix: sk_` left the scheme only secret keys.
        let request = applied(bearer("sk_live_1"), &op(BY_SECRET_KEY)).unwrap();
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer sk_live_1");
        let err = applied(bearer("pk_live_1"), &op(BY_SECRET_KEY)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::KeyNotAllowed);
        assert!(err.to_string().contains("starting with `sk_`"), "{err}");
        assert!(!err.to_string().contains("live_1"), "{err}");
        // The `ApiKey`, where it fits, comes first.
        let both = bearer("sk_other").api_key(ApiKey::new("sk_key_1").unwrap());
        let request = applied(both, &op(BY_SECRET_KEY)).unwrap();
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer sk_key_1");
    }

    #[test]
    fn what_the_scheme_sets_wins_over_the_default_credentials() {
        let builder = named("custom", "abc").bearer_token(Credential::new("tok").unwrap());
        let request = applied(builder, &op(BY_TOKEN)).unwrap();
        assert_eq!(request.headers()[AUTHORIZATION], "Token abc");
        let builder = named("keyHeader", "from-scheme")
            .credential_header("x-api-key", Credential::new("default").unwrap());
        let request = applied(builder, &op(BY_KEY_HEADER)).unwrap();
        assert_eq!(request.headers()["x-api-key"], "from-scheme");
    }

    #[test]
    fn default_credentials_go_where_nothing_is_required() {
        let builder = bearer("tok").credential_header("X-Api-Key", Credential::new("k").unwrap());
        let request = applied(builder, &op(&[])).unwrap();
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer tok");
        assert_eq!(request.headers()["x-api-key"], "k");
        assert!(request.headers()["x-api-key"].is_sensitive());
    }
}
