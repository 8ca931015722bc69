"""The browser enforces the Content Security Policy, and the tests see every refusal: the
`page` fixture fails any journey during which the console reports one."""

from tests.browser import watch_csp


def test_the_browser_refuses_an_inline_script_and_the_tests_see_it(context):
    page = context.new_page()
    violations = watch_csp(page)
    page.goto("/accounts/login/")

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
        }"""
    )

    assert page.evaluate("() => window.inlineRan === undefined")
    assert violations, "the browser reported no refusal"
    page.close()


def test_the_browser_refuses_an_inline_style(context):
    page = context.new_page()
    violations = watch_csp(page)
    page.goto("/accounts/login/")

    page.evaluate(
        """() => {
            const style = document.createElement("style");
            style.textContent = "body { background: red }";
            document.head.append(style);
        }"""
    )

    assert violations
    page.close()


def test_a_signed_out_page_reports_no_violation(page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").wait_for()
