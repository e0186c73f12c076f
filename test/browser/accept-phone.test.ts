// A real browser (Debian chromium) accepts an invitation that asks for a verified phone:
// the invitee types the number, presses "Send code" (a form of its own, posted without
// JavaScript), enters the 6-digit code from the text message and a password, and lands
// signed in with the phone verified. Screenshots under test/artifacts/accept-phone-<dialect>/.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';
import { addAdmin, lastMailTo, roleId } from '../invitations/invite-kit.js';
import { codeSentTo } from '../phones/phone-kit.js';

const PASSWORD = 'a long and quiet river 7';

describeEachDatabase(
  'Browser: accepting an invitation with a phone proven by a code',
  (h) => {
    let browser: Browser | null = null;

    beforeEach(async function () {
      requireChromium(this);
      browser = await openBrowser(`accept-phone-${h.dialect}`);
    });

    afterEach(async () => {
      await browser?.close();
      browser = null;
    });

    it('sends the code, takes it with the password and creates the account with the phone verified', async () => {
      await h.services.settings.set(h.system(), 'phoneAtAcceptance', 'verified');
      const inviter = await addAdmin(h);
      await h.services.invitations.invite(inviter.ctx, [{ addresses: 'nia@example.com', givenName: 'Nia', roleIds: [await roleId(h, 'member')] }]);
      const link = new RegExp(`${h.baseUrl}/invitations/accept\\?token=[A-Za-z0-9_-]+`).exec((await lastMailTo(h, 'nia@example.com')).text)![0];
      const page = browser!.page;
      await page.goto(link);
      await page.fill('#f-phoneCountry', '+44');
      await page.fill('#f-phoneNumber', '07400 123456');
      await Promise.all([page.waitForURL(`${h.baseUrl}/invitations/accept/phone-code`), page.click('button:has-text("Send code")')]);
      expect(await page.locator('[role="status"]').textContent()).to.include('We sent a code to +447400123456');
      expect(await page.inputValue('#f-phoneNumber'), 'the number is kept').to.equal('07400 123456');
      expect(await page.inputValue('#f-givenName'), 'the name from the invitation is still there').to.equal('Nia');
      expect(await h.services.users.findByLogin('nia@example.com'), 'nothing created yet').to.equal(null);

      await page.fill('#f-familyName', 'Hire');
      await page.fill('#f-phoneCode', await codeSentTo(h, '+447400123456'));
      await page.fill('#f-password', PASSWORD);
      await page.fill('#f-passwordConfirmation', PASSWORD);
      await browser!.screenshot('code-entered');
      // Enter in the accept form accepts (the send-code button is in a form of its own).
      await Promise.all([page.waitForURL(`${h.baseUrl}/account?done=welcome`), page.press('#f-passwordConfirmation', 'Enter')]);
      expect(await page.locator('#my-phone').textContent()).to.match(/\+447400123456\s+verified/);
      await browser!.screenshot('signed-in-account');
      expect(await h.services.users.findByLogin('nia@example.com')).to.deep.include({ phone: '+447400123456', phoneVerified: true, status: 'active', givenName: 'Nia', familyName: 'Hire' });
    });
  },
  { serve: true, dialects: ['sqlite'] },
);
