-- The library version and a few compile-time facts
.mode list
SELECT sqlite_version();
SELECT sqlite_compileoption_used('THREADSAFE=0') AS threadsafe0, sqlite_compileoption_used('ENABLE_MATH_FUNCTIONS') AS math;
