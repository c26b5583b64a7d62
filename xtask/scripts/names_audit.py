#!/usr/bin/env python3
"""Audit of a generated client's type names (issue 24): how many of the
types of `mod types` carry the name of an operation other than one that
uses them, end in a number, or say Variant/Inner/Inline.

usage: python3 xtask/scripts/names_audit.py GENERATED.rs [--list]

A type is "named after an unrelated operation" when its name begins with
an operation's (PascalCase builder name) and an operation whose own name
does not begin so reaches it (its parameters, body or success type, and
the structs and enums those hold; an alias counts as its own name, not
its target's). Regex-based: it reads the generator's own layout.
"""
import re, sys

src = open(sys.argv[1]).read()
listing = "--list" in sys.argv

def block(text, start):
    """The text from `start` (at a `{`) to its matching `}`."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == '{': depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0: return text[start:i + 1]
    return text[start:]

def module(name):
    m = re.search(r'\n(?:pub )?mod %s \{' % name, src)
    return block(src, m.end() - 1) if m else ""

types_src = module("types")
builder_src = module("builder")
# Items of mod types (top level of the module only).
items = {}
aliases = set()
for m in re.finditer(r'\n    pub (struct|enum|type) (\w+)', types_src):
    name = m.group(2)
    if m.group(1) == "type":
        # An alias is the name its users see: not followed to its target
        # (identical inline types are aliases of the first, by design).
        aliases.add(name)
    rest = types_src[m.end():]
    # The item's text: up to the next top-level item.
    nxt = re.search(r'\n    (?:#|///|/\*\*|pub (?:struct|enum|type|mod)|impl)', rest)
    body = rest[:nxt.start()] if nxt else rest
    items.setdefault(name, "")
    items[name] += body
names = set(items)
ident = re.compile(r'\b[A-Z]\w*\b')
refs = {n: (set() if n in aliases else set(ident.findall(b)) & names) for n, b in items.items()}

# Operations: each builder struct is named after its operation (Pascal);
# what it reaches: its fields' types and `send`'s success type.
ops = {}
for m in re.finditer(r"\n    pub struct (\w+)<'a> \{", builder_src):
    op = m.group(1)
    body = block(builder_src, m.end() - 1)
    impl = re.search(r"\n    impl<'a> %s<'a> \{" % op, builder_src)
    send = block(builder_src, impl.end() - 1) if impl else ""
    roots = set(ident.findall(body)) & names
    for r in re.findall(r'ResponseValue<([^>]*(?:<[^>]*>)?[^>]*)>', send):
        roots |= set(ident.findall(r)) & names
    ops[op] = roots
used_by = {n: set() for n in names}
for op, roots in ops.items():
    seen, todo = set(), list(roots)
    while todo:
        t = todo.pop()
        if t in seen: continue
        seen.add(t)
        todo.extend(refs.get(t, ()))
    for t in seen:
        used_by[t].add(op)

op_names = sorted(ops, key=len, reverse=True)
def named_after(t):
    for op in op_names:
        if t.startswith(op) and (len(t) == len(op) or t[len(op)].isupper() or t[len(op)].isdigit()):
            return op
    return None

other_op, number, marker = [], [], []
for t in sorted(names):
    op = named_after(t)
    # Unrelated: a user whose own name does not begin with that
    # operation's (`IssuesListState` for `IssuesListForRepo` is where it
    # is used; for `PullsList` it is another operation's name).
    unrelated = sorted(u for u in used_by[t] if not u.startswith(op)) if op else []
    if unrelated:
        other_op.append((t, op, unrelated[:3]))
    if re.search(r'\d+$', t):
        number.append(t)
    if re.search(r'Variant|Inner|Inline', t):
        marker.append(t)
bad = {t for t, *_ in other_op} | set(number) | set(marker)
print(f"types: {len(names)}, operations: {len(ops)}")
print(f"named after an operation, used by another (unrelated) one: {len(other_op)}")
print(f"number suffix: {len(number)}")
print(f"Variant/Inner/Inline: {len(marker)}")
print(f"any of these: {len(bad)} ({100 * len(bad) / max(1, len(names)):.1f} %)")
if listing:
    for t, op, users in other_op: print("  other-op", t, "named after", op, "used by", users)
    for t in number: print("  number", t)
    for t in marker: print("  marker", t)
