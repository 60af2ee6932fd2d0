"""A local SMS gateway that speaks Twilio's Messages API, for development, tests,
benchmarks and the demo (`tandem sms-gateway`, or `running_gateway()` in a test)."""
