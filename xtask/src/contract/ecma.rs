//! JSON Schema patterns (ECMA-262) in the syntax `rand_regex` reads.

/// A JSON Schema (ECMA-262) pattern in the syntax rand_regex reads:
/// `\d`, `\w` and `\s` are ASCII classes there (Unicode ones in Rust's
/// syntax, which would generate digits the spec's validators reject), and
/// lookaround groups, which it cannot generate, are left out (what they
/// forbid is rarely what a random string hits; the validator has the last
/// word on the value).
pub(super) fn ecma(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let class = match chars[i + 1] {
                'd' => Some("[0-9]"),
                'D' => Some("[^0-9]"),
                'w' => Some("[A-Za-z0-9_]"),
                'W' => Some("[^A-Za-z0-9_]"),
                's' => Some("[ \\t\\n\\r]"),
                'S' => Some("[^ \\t\\n\\r]"),
                _ => None,
            };
            match class {
                Some(class) => out.push_str(class),
                None => {
                    out.push(c);
                    out.push(chars[i + 1]);
                }
            }
            i += 2;
            continue;
        }
        let lookaround = ["(?=", "(?!", "(?<=", "(?<!"]
            .iter()
            .find(|p| chars[i..].starts_with(&p.chars().collect::<Vec<_>>()));
        if let Some(open) = lookaround {
            // Skip to the matching `)`, minding escapes and nesting.
            let mut depth = 0;
            let mut j = i;
            while j < chars.len() {
                match chars[j] {
                    '\\' => j += 1,
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let _ = open;
            i = j + 1;
            continue;
        }
        // Anchors anywhere (rand_regex generates none; a whole match
        // satisfies them), but not `^` negating a class.
        let in_class = out.ends_with('[');
        if c == '[' {
            class = true;
        } else if c == ']' {
            class = false;
        }
        if !((c == '^' && !in_class && !class) || (c == '$' && !class)) {
            out.push(c);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_read_as_ecma_262() {
        assert_eq!(ecma(r"\d+\.\w"), r"[0-9]+\.[A-Za-z0-9_]");
        assert_eq!(ecma(r"(?![0-9]{8}-)[a-z](?=x)y"), "[a-z]y");
        assert_eq!(ecma(r"^(?!x$)^[^a-z]+$"), "[^a-z]+");
    }
}
