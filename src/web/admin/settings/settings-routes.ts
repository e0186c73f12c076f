// /admin/settings (settings.manage): one form; SettingsService.update validates every key,
// stores the changed ones and audits each change.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import type { Settings } from '../../../settings/settings-service.js';
import type { RoleView } from '../../../roles/role-service.js';
import { contextOf } from '../../request-context.js';
import { listOf } from '../../form-controls.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { refusalOf, splitList, str } from '../admin-form-errors.js';
import { settingsPageBody, type SettingsFormValues, type SettingsPageState } from './settings-views.js';

/** Stored names are matched case-insensitively (defaults are "viewer", "member"). */
function spelled(names: string[], roles: RoleView[]): string[] {
  return names.map((n) => roles.find((r) => r.name.toLowerCase() === n.toLowerCase())?.name ?? n);
}

function storedValues(s: Settings, roles: RoleView[]): SettingsFormValues {
  return {
    organizationName: s.organizationName,
    invitationExpiryHours: String(s.invitationExpiryHours),
    registrationMode: s.registrationMode,
    registrationDomains: s.registrationDomains.join('\n'),
    registrationDefaultRoles: spelled(s.registrationDefaultRoles, roles),
    invitationDefaultRoles: spelled(s.invitationDefaultRoles, roles),
    requireEmailConfirmation: s.requireEmailConfirmation,
    totpRequired: s.totpRequired,
    totpRequiredRoleIds: s.totpRequiredRoleIds,
    passkeyPolicy: s.passkeyPolicy,
    passkeyPolicyRoleIds: s.passkeyPolicyRoleIds,
    sessionIdleMinutes: String(s.sessionIdleMinutes),
    sessionLifetimeHours: String(s.sessionLifetimeHours),
    provisionedCredentialMode: s.provisionedCredentialMode,
    timeZone: s.timeZone,
    accessEndFirstReminderDays: String(s.accessEndFirstReminderDays),
    accessEndLastReminderDays: String(s.accessEndLastReminderDays),
    accessEndRemindPerson: s.accessEndRemindPerson,
    phoneAtAcceptance: s.phoneAtAcceptance,
    phoneCodeCountries: s.phoneCodeCountries.join(' '),
  };
}

function submittedValues(body: Record<string, unknown> | undefined): SettingsFormValues {
  return {
    organizationName: str(body?.organizationName),
    invitationExpiryHours: str(body?.invitationExpiryHours),
    registrationMode: str(body?.registrationMode),
    registrationDomains: typeof body?.registrationDomains === 'string' ? body.registrationDomains : '',
    registrationDefaultRoles: listOf(body?.registrationDefaultRoles),
    invitationDefaultRoles: listOf(body?.invitationDefaultRoles),
    requireEmailConfirmation: body?.requireEmailConfirmation === 'on',
    totpRequired: str(body?.totpRequired),
    totpRequiredRoleIds: listOf(body?.totpRequiredRoleIds),
    passkeyPolicy: str(body?.passkeyPolicy),
    passkeyPolicyRoleIds: listOf(body?.passkeyPolicyRoleIds),
    sessionIdleMinutes: str(body?.sessionIdleMinutes),
    sessionLifetimeHours: str(body?.sessionLifetimeHours),
    provisionedCredentialMode: str(body?.provisionedCredentialMode),
    timeZone: str(body?.timeZone),
    accessEndFirstReminderDays: str(body?.accessEndFirstReminderDays),
    accessEndLastReminderDays: str(body?.accessEndLastReminderDays),
    accessEndRemindPerson: body?.accessEndRemindPerson === 'on',
    phoneAtAcceptance: str(body?.phoneAtAcceptance),
    phoneCodeCountries: typeof body?.phoneCodeCountries === 'string' ? body.phoneCodeCountries : '',
  };
}

export function settingsRoutes(services: Services): Router {
  const router = Router();
  router.use(permit('settings.manage'));

  const render = async (req: Request, res: Response, state: Partial<SettingsPageState>, status = 200) => {
    const roles = await services.roles.list();
    const values = state.values ?? storedValues(await services.settings.all(), roles);
    const shell = await shellState(services, req, res, '/admin/settings');
    const notice = req.query.done === 'saved' ? 'Settings saved.' : undefined;
    res.status(status).type('html').send(adminPage('Settings', shell, settingsPageBody({ csrfToken: shell.csrfToken, roles, values, errors: {}, notice, ...state })));
  };

  router.get('/', (req, res) => render(req, res, {}));

  router.post('/', async (req, res) => {
    const values = submittedValues(req.body);
    try {
      // The service validates the text as given (numbers included) and says what is wrong.
      // A form from before the time zone, the passkey policy, the phone settings or access end
      // dates existed leaves those settings as they are.
      const { timeZone, passkeyPolicy, passkeyPolicyRoleIds, phoneAtAcceptance, phoneCodeCountries, accessEndFirstReminderDays, accessEndLastReminderDays, accessEndRemindPerson, ...rest } = values;
      const given = {
        ...(typeof req.body?.timeZone === 'string' ? { timeZone } : {}),
        ...(typeof req.body?.passkeyPolicy === 'string' ? { passkeyPolicy, passkeyPolicyRoleIds } : {}),
        ...(typeof req.body?.phoneAtAcceptance === 'string' ? { phoneAtAcceptance, phoneCodeCountries: phoneCodeCountries.split(/[\s,;]+/).filter(Boolean) } : {}),
        ...(typeof req.body?.accessEndFirstReminderDays === 'string' ? { accessEndFirstReminderDays, accessEndLastReminderDays, accessEndRemindPerson } : {}),
      };
      await services.settings.update(contextOf(req, 'admin'), { ...rest, ...given, registrationDomains: splitList(values.registrationDomains) });
      res.redirect(303, '/admin/settings?done=saved');
    } catch (err) {
      const { status, fields } = refusalOf(err, 'organizationName');
      await render(req, res, { values, errors: fields }, status);
    }
  });

  return router;
}
