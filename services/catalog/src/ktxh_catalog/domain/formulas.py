"""A small, safe expression language for derived indicators. Never uses ``eval``.

Grammar (whitespace is ignored)::

    expr     := term (("+" | "-") term)*
    term     := unary (("*" | "/") unary)*
    unary    := ("+" | "-") unary | primary
    primary  := NUMBER | call | ref | "(" expr ")"
    call     := FUNC "(" expr ("," expr)* ")"
    ref      := CODE ("[" DIM "=" MEMBER ("," DIM "=" MEMBER)* "]")?

* ``NUMBER``: ``12``, ``0.5`` (a dot is the decimal separator; a comma separates arguments).
* ``CODE``: an indicator code, starts with a letter, then letters, digits, ``_`` and ``.``
  (``HP2081.XIII.03``). Hyphens are not allowed in codes because ``-`` is minus.
* A selector picks one figure of a disaggregated indicator:
  ``HP2081.XIII.03[price_basis=comparative]``.
* Functions (``FUNCTIONS``):

  - ``growth(X)``: growth over the same period last year, in percent:
    ``(X / X_same_period_last_year - 1) * 100``.
  - ``share(X, TOTAL)``: ``X / TOTAL * 100``.
  - ``prev(X)``: X in the same period last year.

Evaluation uses ``Decimal``; a missing value or a division by zero gives ``None``
("không xác định"), never an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from ktxh_catalog.domain.errors import FormulaError

__all__ = [
    "FUNCTIONS",
    "Binary",
    "Call",
    "Expr",
    "Number",
    "Ref",
    "Unary",
    "evaluate",
    "evaluate_mapping",
    "parse",
    "ref_key",
    "references",
    "refs",
]

MAX_LENGTH = 2000
MAX_DEPTH = 60

# name -> (number of arguments, Vietnamese description)
FUNCTIONS: dict[str, tuple[int, str]] = {
    "growth": (1, "Tốc độ tăng trưởng so với cùng kỳ năm trước (%)"),
    "share": (2, "Tỷ trọng của X trong tổng (%)"),
    "prev": (1, "Giá trị cùng kỳ năm trước"),
}

Selector = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Number:
    value: Decimal

    def __str__(self) -> str:
        return format(self.value, "f")


@dataclass(frozen=True)
class Ref:
    code: str
    selector: Selector = ()

    def __str__(self) -> str:
        return ref_key(self.code, self.selector)


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Expr

    def __str__(self) -> str:
        return f"{self.op}{_wrap(self.operand, 3)}"


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr

    def __str__(self) -> str:
        prec = _PREC[self.op]
        # left-associative: the right side needs parentheses at equal precedence
        return f"{_wrap(self.left, prec)} {self.op} {_wrap(self.right, prec + 1)}"


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(str(a) for a in self.args)})"


Expr = Number | Ref | Unary | Binary | Call

_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}


def _wrap(e: Expr, min_prec: int) -> str:
    if isinstance(e, Binary) and _PREC[e.op] < min_prec:
        return f"({e})"
    if isinstance(e, Unary) and min_prec > 3:
        return f"({e})"
    return str(e)


def ref_key(code: str, selector: Selector = ()) -> str:
    """The canonical text of a reference: ``CODE`` or ``CODE[dim=member,dim2=member2]``."""
    if not selector:
        return code
    return code + "[" + ",".join(f"{d}={m}" for d, m in selector) + "]"


# ---------------------------------------------------------------- tokenizer

@dataclass(frozen=True)
class _Tok:
    kind: str  # num, ident, op, end
    text: str
    pos: int


def _is_ident_start(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _is_ident_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_.")


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch.isascii() and ch.isdigit():
            j = i
            while j < n and text[j].isascii() and text[j].isdigit():
                j += 1
            if j < n and text[j] == ".":
                j += 1
                if not (j < n and text[j].isascii() and text[j].isdigit()):
                    raise FormulaError(f"Số không hợp lệ tại vị trí {i + 1}", i)
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
            if j < n and _is_ident_start(text[j]):
                raise FormulaError(
                    f"Mã chỉ số phải bắt đầu bằng chữ cái (vị trí {i + 1})", i
                )
            toks.append(_Tok("num", text[i:j], i))
            i = j
        elif _is_ident_start(ch):
            j = i + 1
            while j < n and _is_ident_char(text[j]):
                j += 1
            word = text[i:j]
            if word.endswith("."):
                raise FormulaError(f"Mã '{word}' không được kết thúc bằng dấu chấm", i)
            toks.append(_Tok("ident", word, i))
            i = j
        elif ch in "+-*/(),[]=":
            toks.append(_Tok("op", ch, i))
            i += 1
        else:
            raise FormulaError(f"Ký tự không hợp lệ '{ch}' tại vị trí {i + 1}", i)
    toks.append(_Tok("end", "", n))
    return toks


# ---------------------------------------------------------------- parser

class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def expect(self, text: str) -> _Tok:
        t = self.tok
        if t.kind != "op" or t.text != text:
            found = "hết công thức" if t.kind == "end" else f"'{t.text}'"
            raise FormulaError(f"Thiếu '{text}' tại vị trí {t.pos + 1} (gặp {found})", t.pos)
        return self.take()

    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise FormulaError("Công thức rỗng", 0)
        e = self.expr()
        if self.tok.kind != "end":
            raise FormulaError(
                f"Thừa '{self.tok.text}' tại vị trí {self.tok.pos + 1}", self.tok.pos
            )
        return e

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError("Công thức lồng nhau quá sâu", self.tok.pos)

    def expr(self) -> Expr:
        self._enter()
        e = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.take().text
            e = Binary(op, e, self.term())
        self.depth -= 1
        return e

    def term(self) -> Expr:
        e = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            op = self.take().text
            e = Binary(op, e, self.unary())
        return e

    def unary(self) -> Expr:
        if self.tok.kind == "op" and self.tok.text in "+-":
            self._enter()
            op = self.take().text
            inner = self.unary()
            self.depth -= 1
            return inner if op == "+" else Unary("-", inner)
        return self.primary()

    def primary(self) -> Expr:
        t = self.tok
        if t.kind == "num":
            self.take()
            return Number(Decimal(t.text))
        if t.kind == "op" and t.text == "(":
            self.take()
            e = self.expr()
            self.expect(")")
            return e
        if t.kind == "ident":
            self.take()
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.call(t)
            return self.ref(t)
        if t.kind == "end":
            raise FormulaError("Công thức kết thúc đột ngột", t.pos)
        raise FormulaError(f"Không mong đợi '{t.text}' tại vị trí {t.pos + 1}", t.pos)

    def call(self, name_tok: _Tok) -> Expr:
        name = name_tok.text
        if name not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise FormulaError(
                f"Hàm '{name}' không được hỗ trợ (các hàm: {known})", name_tok.pos
            )
        self.expect("(")
        args = [self.expr()]
        while self.tok.kind == "op" and self.tok.text == ",":
            self.take()
            args.append(self.expr())
        self.expect(")")
        arity = FUNCTIONS[name][0]
        if len(args) != arity:
            raise FormulaError(
                f"Hàm '{name}' cần {arity} tham số, có {len(args)}", name_tok.pos
            )
        return Call(name, tuple(args))

    def ref(self, code_tok: _Tok) -> Expr:
        selector: list[tuple[str, str]] = []
        if self.tok.kind == "op" and self.tok.text == "[":
            self.take()
            while True:
                dim = self.tok
                if dim.kind != "ident":
                    raise FormulaError(
                        f"Thiếu tên chiều phân tổ tại vị trí {dim.pos + 1}", dim.pos
                    )
                self.take()
                self.expect("=")
                member = self.tok
                if member.kind not in ("ident", "num"):
                    raise FormulaError(
                        f"Thiếu giá trị phân tổ tại vị trí {member.pos + 1}", member.pos
                    )
                self.take()
                if any(d == dim.text for d, _ in selector):
                    raise FormulaError(f"Chiều '{dim.text}' bị lặp", dim.pos)
                selector.append((dim.text, member.text))
                if self.tok.kind == "op" and self.tok.text == ",":
                    self.take()
                    continue
                self.expect("]")
                break
        return Ref(code_tok.text, tuple(selector))


def parse(text: str) -> Expr:
    """Parse a formula. Raises ``FormulaError`` (an ``InvalidArgument``) with a Vietnamese
    message and the character position."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"Công thức dài quá {MAX_LENGTH} ký tự", MAX_LENGTH)
    return _Parser(text).parse()


# ---------------------------------------------------------------- analysis

def refs(expr: Expr) -> list[Ref]:
    """Every reference in the expression, in order of appearance (with repeats)."""
    out: list[Ref] = []
    stack: list[Expr] = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Ref):
            out.append(e)
        elif isinstance(e, Unary):
            stack.append(e.operand)
        elif isinstance(e, Binary):
            stack.extend((e.right, e.left))
        elif isinstance(e, Call):
            stack.extend(reversed(e.args))
    return out


def references(expr: Expr) -> set[str]:
    """The indicator codes the expression depends on."""
    return {r.code for r in refs(expr)}


# ---------------------------------------------------------------- evaluation

Lookup = Callable[[str, Selector, int], Decimal | None]
"""``lookup(code, selector, years_back)``: the figure of ``code`` (one disaggregation when
``selector`` is given) for the period being computed (``years_back=0``) or the same period
``years_back`` years earlier."""

_HUNDRED = Decimal(100)


def evaluate(expr: Expr, lookup: Lookup) -> Decimal | None:
    with localcontext() as ctx:
        ctx.prec = 28
        return _eval(expr, lookup, 0)


def _div(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None or b == 0:
        return None
    try:
        return a / b
    except (InvalidOperation, ZeroDivisionError):  # pragma: no cover - guarded above
        return None


def _eval(e: Expr, lookup: Lookup, back: int) -> Decimal | None:
    if isinstance(e, Number):
        return e.value
    if isinstance(e, Ref):
        return lookup(e.code, e.selector, back)
    if isinstance(e, Unary):
        v = _eval(e.operand, lookup, back)
        return None if v is None else -v
    if isinstance(e, Binary):
        a = _eval(e.left, lookup, back)
        b = _eval(e.right, lookup, back)
        if e.op == "/":
            return _div(a, b)
        if a is None or b is None:
            return None
        if e.op == "+":
            return a + b
        if e.op == "-":
            return a - b
        return a * b
    if isinstance(e, Call):
        if e.name == "prev":
            return _eval(e.args[0], lookup, back + 1)
        if e.name == "growth":
            now = _eval(e.args[0], lookup, back)
            before = _eval(e.args[0], lookup, back + 1)
            q = _div(now, before)
            return None if q is None else (q - 1) * _HUNDRED
        if e.name == "share":
            q = _div(_eval(e.args[0], lookup, back), _eval(e.args[1], lookup, back))
            return None if q is None else q * _HUNDRED
    raise TypeError(f"unknown node {e!r}")  # pragma: no cover


def evaluate_mapping(
    expr: Expr,
    current: Mapping[str, Decimal],
    *previous_years: Mapping[str, Decimal],
) -> Decimal | None:
    """Convenience: figures keyed by ``ref_key`` (``CODE`` or ``CODE[dim=member]``);
    ``previous_years[0]`` is the same period last year, and so on."""
    years = (current, *previous_years)

    def lookup(code: str, selector: Selector, back: int) -> Decimal | None:
        if back >= len(years):
            return None
        return years[back].get(ref_key(code, selector))

    return evaluate(expr, lookup)
