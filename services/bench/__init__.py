"""`timbra bench`: measured figures of the platform on the current machine.

Every scenario also measures the machine's own ceiling in the same run (RSA-2048 PKCS#1 v1.5
signatures per second per core with the library timbra signs with), so that each throughput is
published both as an absolute figure and as a ratio of that ceiling, which carries over between
machines where absolute numbers do not.
"""
