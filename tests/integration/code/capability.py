import os
try:
    os.setuid(0)  # Try to become root
    print("❌ FAIL: Could change UID")
except:
    print("✅ PASS: Cannot change UID")
