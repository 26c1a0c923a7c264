"""Screenshots of the brand portal at desktop and phone width.

Usage: portal.py BASE_URL EMAIL PASSWORD OUT_DIR WEBHOOK_RECEIVER_URL VOUCHER_CODE
Signs in through the real form (Selenium driving headless Chromium), then
visits the product list, a product editor and its resolver links (a link
added through the form), a seal batch while it is being
generated, a seal's page, the consultations list, the alert inbox and its
rules, the supply chain (events, partners, a partner's page, a lot's recall
report, a seal's timeline), the webhooks (an endpoint added, its secret
shown once, a test event delivered to the receiver), product types, the users and API keys pages, the
audit log, brand settings, the loyalty programme, the voucher check (with a
voucher a consumer redeemed), the account page and the two-factor set-up page.
"""
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, email, password, out, receiver, voucher = sys.argv[1:7]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def browser(width, height):
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=en-US"):
        options.add_argument(flag)
    # Desktop Chromium will not shrink a window below 500 px; emulate the phone instead.
    if width < 500:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}})
    options.add_argument(f"--window-size={max(width, 500)},{height}")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shoot(driver, name, size):
    path = f"{out}/portal-{name}-{size}.png"
    driver.save_screenshot(path)
    print(path, file=sys.stderr)


def sign_in(driver):
    driver.get(f"{base}/portal/sign-in")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.portal-form button[type=submit]").click()


batch_url = None
webhook_url = None
for size, (width, height) in SIZES.items():
    driver = browser(width, height)
    try:
        driver.get(f"{base}/portal/sign-in")
        shoot(driver, "sign-in", size)
        sign_in(driver)
        driver.get(f"{base}/portal/products")
        shoot(driver, "products", size)
        driver.get(f"{base}/portal/products/03760123450003")
        shoot(driver, "product", size)
        # The product's resolver links: a French safety sheet added through the form once.
        driver.get(f"{base}/portal/products/03760123450003/links")
        if "brand.example/fds-fr.pdf" not in driver.page_source:
            driver.find_element(By.CSS_SELECTOR, "#type option[value='safetyInfo']").click()
            driver.find_element(By.ID, "href").send_keys("https://brand.example/fds-fr.pdf")
            driver.find_element(By.ID, "title").send_keys("Fiche de données de sécurité")
            driver.find_element(By.ID, "languages").send_keys("fr")
            driver.find_element(By.ID, "media_type").send_keys("application/pdf")
            driver.find_element(By.CSS_SELECTOR, "form[action$='/links'] button[type=submit]").click()
            WebDriverWait(driver, 10).until(lambda d: "saved=1" in d.current_url)
        shoot(driver, "product-links", size)

        if batch_url is None:
            # A batch big enough to be caught mid-generation.
            driver.get(f"{base}/portal/seals")
            driver.find_element(By.ID, "quantity").send_keys("1000000")
            driver.find_element(By.ID, "markets").send_keys("FR, BE, CH")
            driver.find_element(By.CSS_SELECTOR, "form[action='/portal/seals/batches'] button[type=submit]").click()
            batch_url = driver.current_url
            time.sleep(4)
        else:
            driver.get(batch_url)
        shoot(driver, "seal-batch", size)

        driver.get(f"{base}/portal/seals?serial=H00001")
        driver.find_element(By.CSS_SELECTOR, "a[href^='/portal/seals/']").click()
        shoot(driver, "seal", size)

        driver.get(f"{base}/portal/consultations")
        shoot(driver, "consultations", size)
        driver.get(f"{base}/portal/alerts?status=all")
        shoot(driver, "alerts", size)
        driver.get(f"{base}/portal/alerts/rules")
        shoot(driver, "alert-rules", size)
        # The demo's supply chain: a pallet shipped to a distributor, a return, a stolen and a destroyed unit.
        driver.get(f"{base}/portal/trace")
        shoot(driver, "trace", size)
        driver.get(f"{base}/portal/trace/partners")
        shoot(driver, "partners", size)
        driver.find_element(By.CSS_SELECTOR, "a[href^='/portal/trace/partners/']").click()
        shoot(driver, "partner", size)
        driver.get(f"{base}/portal/trace")
        driver.find_element(By.PARTIAL_LINK_TEXT, "HL2406").click()
        shoot(driver, "recall-report", size)
        driver.get(f"{base}/portal/seals?serial=H00361")
        driver.find_element(By.CSS_SELECTOR, "a[href^='/portal/seals/']").click()
        shoot(driver, "seal-timeline", size)
        if webhook_url is None:
            driver.get(f"{base}/portal/webhooks")
            driver.find_element(By.ID, "url").send_keys(receiver)
            driver.find_element(By.ID, "description").send_keys("Security operations centre")
            driver.find_element(By.CSS_SELECTOR, "input[name=type_serial_probing]").click()
            driver.find_element(By.CSS_SELECTOR, "form[action='/portal/webhooks'] button[type=submit]").click()
            # The answer to the form is the endpoint's page, with its secret shown this once
            # (waited for: the click returns before the answer has loaded).
            test_form = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "form[action$='/test']"))
            webhook_url = test_form.get_attribute("action").removesuffix("/test")
            shoot(driver, "webhook-created", size)
            driver.find_element(By.CSS_SELECTOR, "form[action$='/test'] button").click()
            time.sleep(3)
        driver.get(f"{base}/portal/webhooks")
        shoot(driver, "webhooks", size)
        driver.get(webhook_url)
        for details in driver.find_elements(By.CSS_SELECTOR, "details[data-delivery]"):
            driver.execute_script("arguments[0].open = true", details)
        shoot(driver, "webhook", size)
        driver.get(f"{base}/portal/product-types")
        shoot(driver, "product-types", size)
        driver.get(f"{base}/portal/users")
        shoot(driver, "users", size)
        driver.get(f"{base}/portal/keys")
        shoot(driver, "keys", size)
        driver.get(f"{base}/portal/audit")
        shoot(driver, "audit", size)
        driver.get(f"{base}/portal/brand")
        shoot(driver, "brand", size)
        driver.get(f"{base}/portal/loyalty")
        shoot(driver, "loyalty", size)
        driver.get(f"{base}/portal/vouchers?code={voucher}")
        shoot(driver, "vouchers", size)
        driver.get(f"{base}/portal/account")
        shoot(driver, "account", size)
        driver.find_element(By.CSS_SELECTOR, "form[action='/portal/account/two-factor'] button").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".portal-qr svg"))
        shoot(driver, "two-factor-setup", size)
    finally:
        driver.quit()
