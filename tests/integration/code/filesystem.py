try:
    with open('/test.txt', 'w') as f:
        f.write('test')
    print("❌ FAIL: Filesystem writable")
except:
    print("✅ PASS: Filesystem read-only")
