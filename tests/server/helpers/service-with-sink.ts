/**
 * Apart from service.ts, which child processes import outside the test runner: this one registers
 * vitest hooks.
 */
import { afterAll, beforeAll } from "vitest";
import { startService, type Service, type ServiceOptions } from "./service";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";

/**
 * A service delivering to its own SMTP sink for a whole test file: starts both before the file's
 * tests and stops them after. Read `service` and `sink` inside tests (they are set once started).
 */
export function serviceWithSink(options: Omit<ServiceOptions, "smtpUrl"> = {}): { service: Service; sink: SmtpSink } {
  const running = {} as { service: Service; sink: SmtpSink };
  beforeAll(async () => {
    running.sink = await startSmtpSink();
    running.service = await startService({ ...options, smtpUrl: running.sink.url });
  });
  afterAll(async () => {
    await running.service.stop();
    await running.sink.close();
  });
  return running;
}
