"""The browser harness (tests/browser.py): one browser per worker, a context of its own for each
``open_pages``, closed after it, and a browser launched afresh when the last one was closed or crashed; and
its axe runs, which need nothing preloaded."""

import asyncio

import pytest

pytestmark = pytest.mark.browser


def test_the_workers_browser_is_shared_and_each_open_pages_closes_its_contexts():
    from tests.browser import open_page, open_pages

    with open_pages(2) as (one, other):
        one.set_content("<p>one</p>")
        browser = one.context.browser
        assert other.context.browser is browser and other.context is not one.context
        assert asyncio.get_running_loop() is not None  # Playwright's, while its pages are open
    assert browser.contexts == []
    with pytest.raises(RuntimeError):  # no running event loop for the tests after a browser test
        asyncio.get_running_loop()
    with open_page() as page:
        assert page.context.browser is browser and browser.contexts == [page.context]
        assert page.evaluate("typeof window.axe") == "object"  # the init script of the new context


def test_a_closed_or_crashed_browser_is_launched_again():
    from tests.browser import open_page

    with open_page() as page:
        closed = page.context.browser
        closed.close()  # as a crash leaves it: its contexts cannot be closed any more
    with open_page() as page:
        assert page.context.browser is not closed and page.context.browser.is_connected()
        page.set_content("<p>again</p>")
        assert page.inner_text("p") == "again"


def test_no_rule_of_the_axe_runs_reads_the_preloaded_stylesheets():
    """The runs skip axe's preload (tests/browser.py: ``_AXE_RUN``): no rule they run reads it, on a page with
    what those rules would look for (an orientation lock, a playing sound), and their findings stay the same."""
    from tests.browser import _AXE_RUN, SERIOUS, accessibility_faults, open_page

    with open_page() as page:
        page.set_content("<html lang='en'><head><title>t</title><style>@media (orientation: portrait) {"
                         " main { transform: rotate(90deg); } }</style></head><body><main><p>x</p>"
                         "<audio src='data:audio/wav;base64,' autoplay loop></audio><img src='data:,'></main>"
                         "</body></html>")
        ran = page.evaluate(_AXE_RUN, [list(SERIOUS), True])
        assert len(ran) > 20 and "image-alt" in ran, ran
        needing = page.evaluate("axe._audit.rules.filter(rule => rule.preload).map(rule => rule.id)")
        assert "css-orientation-lock" in needing  # axe still has such rules: the check below can fail
        assert set(ran) & set(needing) == set()
        preloaded = _AXE_RUN.replace("preload: false", "preload: true")
        assert preloaded != _AXE_RUN
        faults = accessibility_faults(page)
        assert [fault[0] for fault in faults] == ["image-alt"]
        assert [tuple(fault) for fault in page.evaluate(preloaded, [list(SERIOUS), False])] == faults


def test_axe_remembers_the_colours_it_parsed_and_finds_the_same_contrast_faults():
    """axe's colour parser remembers each colour it parsed (tests/browser.py: ``_AXE_COLOURS_REMEMBERED``): a run
    parses each of a page's colours once, finds the same contrast faults with the same colours and ratios as axe's
    own parser alone, and a colour it cannot parse still fails."""
    from tests.browser import open_page

    contrast = """async () => {
      const results = await axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']});
      return results.violations.flatMap(v => v.nodes.map(node => [node.target, node.any.map(check => check.data)]));
    }"""
    rows = "".join(f"<tr><td class='faint'>{n}</td><td class='shaded'>{n}</td><td>{n}</td></tr>" for n in range(30))
    with open_page() as page:
        page.set_content("<html lang='en'><head><title>t</title><style>.faint { color: #999; } .shaded { color: #eee;"
                         " background: rgba(255, 255, 255, 0.5); } body { background: #fff; }</style></head><body>"
                         f"<main><table>{rows}</table><p style='color: #777'>grey</p></main></body></html>")
        calls = page.evaluate("""() => {
          const remembered = axe.commons.color.Color.prototype.parseString, own = remembered.parse;
          window.parses = 0;
          remembered.parse = function (text) { window.parses += 1; return own.call(this, text); };
          return window.parses;
        }""")
        assert calls == 0
        remembered = page.evaluate(contrast)
        parses = page.evaluate("window.parses")
        assert len(remembered) > 40, remembered  # faint and shaded cells, the grey line
        assert 0 < parses < 10, parses  # a few colours, parsed once each
        page.evaluate("""() => {
          const Color = axe.commons.color.Color;
          Color.prototype.parseString = Color.prototype.parseString.parse;
        }""")
        assert page.evaluate(contrast) == remembered
        assert page.evaluate("window.parses") > 10 * parses, parses  # each cell's every colour, without
        failed = page.evaluate("""() => {
          try { new axe.commons.color.Color().parseString('not a colour'); } catch (e) { return e.message; }
        }""")
        assert failed == 'Unable to parse color "not a colour"'
