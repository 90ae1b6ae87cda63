export {
  exfiltrateViaApi,
  countRecords,
  ExfiltrationError,
  API_COLLECTIONS,
  type ExfiltrationResult,
  type ApiExfiltrationOptions,
} from './exfiltrateViaApi.ts';
export { exfiltrationPath, dataStoreOf, API_PATH } from './exfiltrationPath.ts';
export { scheduleExfiltration, type ExfiltrationScheduleOptions, type ExfiltrationHandle } from './scheduleExfiltration.ts';
