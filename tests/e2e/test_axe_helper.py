"""The accessibility gate itself: ``assert_accessible`` must fail on a serious WCAG violation
(and name rule, impact and element), and pass a clean page. Without this, a broken axe
injection would make every journey's accessibility check pass silently."""

import pytest

from .axe import assert_accessible

pytestmark = pytest.mark.e2e

SHELL = '<!doctype html><html lang="nl"><head><title>Test</title></head><body><main>{}</main>'


@pytest.fixture
def blank_page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_axe_gate_reports_serious_violations(blank_page):
    blank_page.set_content(
        SHELL.format(
            '<h1>Kop</h1><p id="grijs" style="color:#aaa;background:#fff">Bijna onleesbaar</p>'
            '<img id="zonder-alt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        )
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(blank_page)
    report = str(failure.value)
    assert "color-contrast (serious)" in report
    assert "#grijs" in report
    assert "image-alt (critical)" in report
    assert "#zonder-alt" in report


def test_axe_gate_passes_a_clean_page(blank_page):
    blank_page.set_content(SHELL.format("<h1>Kop</h1><p>Goed leesbaar.</p>"))
    assert_accessible(blank_page)
