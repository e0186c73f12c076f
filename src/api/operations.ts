// Every management API operation, in the order the reference lists them.
import { applicationOperations } from './application-operations.js';
import { auditCsvOperation } from './audit-csv-operation.js';
import { auditOperations } from './audit-operations.js';
import { invitationOperations } from './invitation-operations.js';
import type { Operation } from './operation.js';
import { peopleOperations } from './people-operations.js';
import { roleEditOperations } from './role-edit-operations.js';
import { roleOperations, seatOperations } from './role-seat-operations.js';
import { settingsOperations } from './settings-operations.js';
import { webhookOperations } from './webhook-operations.js';

export const OPERATIONS: readonly Operation[] = [...peopleOperations, ...invitationOperations, ...roleOperations, ...roleEditOperations, ...seatOperations, ...applicationOperations, ...webhookOperations, ...auditOperations, auditCsvOperation, ...settingsOperations];
