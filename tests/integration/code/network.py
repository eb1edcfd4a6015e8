import urllib.request
try:
    urllib.request.urlopen('http://google.com')
    print("❌ FAIL: Network accessible")
except:
    print("✅ PASS: Network blocked")
