"""Screenshots of the statistics dashboard, whole pages, at desktop and phone
width in the four portal languages.

Usage: stats.py BASE_URL EMAIL PASSWORD OUT_DIR
Signs in through the real form (Selenium driving headless Chromium) and
captures /portal/stats?period=30d&lang=… beyond the window (Chromium's
DevTools screenshot), so every chart shows.
"""
import base64
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, email, password, out = sys.argv[1:5]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def browser(width, height):
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=en-US"):
        options.add_argument(flag)
    if width < 500:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}})
    options.add_argument(f"--window-size={max(width, 500)},{height}")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


for size, (width, height) in SIZES.items():
    driver = browser(width, height)
    try:
        driver.get(f"{base}/portal/sign-in")
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form.portal-form button[type=submit]").click()
        for lang in ("en", "fr", "de", "es"):
            driver.get(f"{base}/portal/stats?period=30d&lang={lang}")
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
            path = f"{out}/portal-stats-{lang}-{size}.png"
            with open(path, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            print(path, file=sys.stderr)
    finally:
        driver.quit()
