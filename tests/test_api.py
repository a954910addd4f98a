"""The library API lints exactly as the CLI does."""

from __future__ import annotations

import pytest

import rhetlint
from rhetlint.errors import InputError


def test_lint_text_applies_the_density_policy(tmp_path):
    cfg = tmp_path / ".rhetlint.yml"
    cfg.write_text("max-density: {all: 1}\n")
    findings = rhetlint.lint_text("The vicious plan.\n", filename="a.md", config=cfg)
    assert [(f.rule, f.start) for f in findings] == [("rhetlint.density", 0), ("loaded.term", 4)]


def test_lint_paths_skips_binary_found_in_folders_but_not_named(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_text("The vicious plan.\n")
    (tmp_path / "d" / "b.md").write_bytes(b"\x00\x01binary")
    found = rhetlint.lint_paths([str(tmp_path / "d")])
    assert [(f.path.rsplit("/", 1)[1], f.text) for f in found] == [("a.md", "vicious")]
    with pytest.raises(InputError, match="binary file"):
        rhetlint.lint_paths([str(tmp_path / "d" / "b.md")])


def test_findings_and_stats_pickle_as_constructor_calls():
    # they come back from forked worker processes; equal, hashable and frozen after the trip
    import dataclasses
    import pickle

    from rhetlint.model import FileStats, Finding, Severity

    finding = Finding("a.md", 4, 11, 1, 5, 1, 12, "loaded.term", Severity.WARNING, "Loaded term.", "vicious")
    stats = FileStats("a.md", None, 1)
    back, back_stats = pickle.loads(pickle.dumps((finding, stats), protocol=pickle.HIGHEST_PROTOCOL))
    assert back == finding and hash(back) == hash(finding) and back.severity is Severity.WARNING
    assert back_stats == stats
    assert [f.name for f in dataclasses.fields(Finding)] == [
        "path", "start", "end", "line", "column", "end_line", "end_column", "rule", "severity", "message", "text"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.start = 0  # type: ignore[misc]


def _hash_or_error(value):
    try:
        return hash(value)
    except TypeError as err:  # a dict field: unhashable, as a real frozen dataclass is then
        return str(err)


def _record_classes():
    from rhetlint import config, engine, model

    return [c for c in (*vars(model).values(), config.RuleSetting, engine.ActiveRule)
            if isinstance(c, type) and issubclass(c, model.Record) and c is not model.Record]


@pytest.mark.parametrize("cls", _record_classes(), ids=lambda c: c.__name__)
def test_records_behave_as_frozen_slotted_dataclasses(cls):
    # the records' methods are written out (model.Record) rather than generated: each one is
    # compared with a real dataclass(frozen=True, slots=True) of the same fields and defaults
    import copy
    import dataclasses
    import inspect
    import pickle

    names = [f.name for f in dataclasses.fields(cls)]
    assert tuple(names) == cls.__slots__ and dataclasses.is_dataclass(cls)
    params = inspect.signature(cls.__init__).parameters
    assert list(params)[1:] == names  # every field, in order, by its own name
    reference = dataclasses.make_dataclass(
        cls.__name__, [(f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory))
                       for f in dataclasses.fields(cls)], frozen=True, slots=True)
    reference.__qualname__ = cls.__qualname__
    for ours, theirs in zip(dataclasses.fields(cls), dataclasses.fields(reference)):
        assert (ours.name, ours.default, ours.default_factory) == (theirs.name, theirs.default, theirs.default_factory)
    required = [n for n in names if params[n].default is inspect.Parameter.empty]
    for given in (names, required):  # every field given, then the defaults filled in
        values = {n: f"v{i}" for i, n in enumerate(given)}
        record, twin = cls(**values), reference(**values)
        assert [getattr(record, n) for n in names] == [getattr(twin, n) for n in names]
        assert repr(record) == repr(twin) and not hasattr(record, "__dict__")
        assert _hash_or_error(record) == _hash_or_error(twin) and record == cls(**values) and record != twin
        assert dataclasses.asdict(record) == dataclasses.asdict(twin)
        before = getattr(record, names[0])
        other = dataclasses.replace(record, **{names[0]: "changed"})
        assert other != record and getattr(other, names[0]) == "changed" and getattr(record, names[0]) is before
        assert record.__eq__(tuple(values)) is NotImplemented
        assert pickle.loads(pickle.dumps(record)) == record == copy.deepcopy(record)
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot assign to field '{names[-1]}'"):
            setattr(record, names[-1], 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(record, names[0])
    # a pickle the generated methods wrote (the field values as state) still loads
    state = [f"v{i}" for i in range(len(names))]
    old = cls.__new__(cls)
    old.__setstate__(state)
    assert old == cls(*state)


def _plugin_subclasses():
    # module level, so that pickle finds them
    import dataclasses

    from rhetlint.model import Finding

    global Tagged, Slotted, Plain

    @dataclasses.dataclass(frozen=True)
    class Tagged(Finding):
        tag: str = "none"

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted(Finding):
        tag: str = "none"

    class Plain(Finding):
        __slots__ = ()


def test_a_plugin_may_subclass_a_record():
    # as it could subclass the frozen dataclasses the records were
    import dataclasses
    import pickle

    from rhetlint.model import Finding, Severity

    _plugin_subclasses()
    base = ("a.md", 1, 2, 1, 2, 1, 3, "x.y", Severity.WARNING, "m", "t")
    for cls in (Tagged, Slotted):
        one = cls(*base, "x")
        assert repr(one).endswith("text='t', tag='x')") and one != cls(*base, "y") and one == cls(*base, "x")
        assert pickle.loads(pickle.dumps(one)) == one and hash(one) == hash(cls(*base, "x"))
        with pytest.raises(dataclasses.FrozenInstanceError):
            one.tag = "z"  # type: ignore[misc]
    plain = Plain(*base)
    assert repr(plain).startswith("Plain(path='a.md'") and pickle.loads(pickle.dumps(plain)) == plain
    with pytest.raises(TypeError, match="non-frozen"):
        @dataclasses.dataclass
        class Loose(Finding):
            pass


def test_a_record_that_holds_itself_prints():
    from rhetlint.model import Option

    box: list = []
    option = Option(list, box)
    box.append(option)
    assert repr(option) == "Option(type=<class 'list'>, default=[...], required=False, help='')"  # as dataclass


def test_record_defaults_are_the_documented_ones():
    from rhetlint.config import RuleSetting
    from rhetlint.model import Document, Lexicon, Option, Report, Rule, RuleSpec, Severity

    rule = Rule("a.b", "pattern", print, "m")
    assert (rule.severity, rule.description, rule.link, rule.scope, rule.quotes, rule.exceptions, rule.examples,
            rule.origin, rule.ignore_case, rule.options, rule.spec, rule.enabled) == (
        Severity.WARNING, "", "", frozenset(), "skip", (), (), "", True, {}, None, True)
    assert Rule("a.b", "pattern", print, "m").options is not rule.options  # a new dict each, as default_factory
    assert Rule("a.b", "pattern", print, "m", options=None).options is None  # None given is kept
    assert Lexicon("n", "p", ()).columns == {} and Option(int).default is None and Option(int).help == ""
    assert Document("p", "s", "t", ()).links == () and Report((), (), (), "1").stats == ()
    assert RuleSpec("a.b", "p", {}, {}).ignore_case is True
    assert RuleSetting() == RuleSetting(None, None, None, (), {})


class _One:  # filled in by the test below (module level, so that pickle finds it)
    pass


def test_a_one_field_record_works():
    import pickle

    from rhetlint.model import Record, record

    global _One

    @record
    class _One(Record):
        """One field."""

        __slots__ = ("name",)

        name: str

        def __init__(self, name: str = "x") -> None:
            object.__setattr__(self, "name", name)

    one = _One("a")
    assert repr(one) == "_One(name='a')" and one == _One("a") != _One("b") and hash(one) == hash(("a",))
    assert pickle.loads(pickle.dumps(one)) == one and _One().name == "x"
