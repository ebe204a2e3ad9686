// Imported first by the stack so lite sees these before its modules load:
// the local stack never sends telemetry.
process.env.DO_NOT_TRACK = '1';
process.env.LITE_TELEMETRY = '0';
