import { eq } from 'drizzle-orm';
import type { Actor } from '../core/actor.js';
import { type Ctx, inTransaction } from '../core/context.js';
import { communityPosts, communityThreads, kbArticles, kbArticleViews } from '../db/schema/index.js';
import { acceptAnswer, answerThread, askQuestion, toggleVote } from '../domains/community/service.js';
import type { ContactRef } from '../domains/contacts/schema.js';
import { identifyContact } from '../domains/contacts/service.js';
import { updateHelpCenter } from '../domains/help-center/service.js';
import { createArticle, createCategory } from '../domains/knowledge-base/service.js';

/** The demo's owner (load-demo.ts's DEMO_OWNER_EMAIL, which imports this file). */
const OWNER = 'owner@acme.test';

/** Where the demo's help center is: /help/acme. */
export const DEMO_HELP_SLUG = 'acme';
const BASE = `/help/${DEMO_HELP_SLUG}`;

const FOOTER = `**Acme Outfitters** · 120 Harbor Street, Portland, OR 97209

Phone +1 415 555 0100, Monday to Friday 8 am – 6 pm PT · [Returns](${BASE}/articles/how-to-return-an-item) · [Shipping](${BASE}/articles/shipping-times-and-tracking)`;

const TOPICS = [
  { id: 'orders', name: 'Orders & shipping' },
  { id: 'returns', name: 'Returns' },
  { id: 'product', name: 'Product question' },
  { id: 'app', name: 'The app' },
  { id: 'other', name: 'Something else' },
];

const CATEGORIES = [
  { key: 'orders', name: 'Orders & shipping', description: 'Delivery times, tracking, and what to do when something is missing.' },
  { key: 'returns', name: 'Returns & refunds', description: 'Sending things back, refunds, warranty repairs, and when we say “keep it”.' },
  { key: 'products', name: 'Products & care', description: 'Fitment, choosing the right thing, and keeping your gear working.' },
  { key: 'account', name: 'Your account & the app', description: 'Signing in, passwords, and the Acme app on your phone.' },
] as const;
type CategoryKey = (typeof CATEGORIES)[number]['key'];

interface DemoArticle {
  slug: string;
  title: string;
  category: CategoryKey;
  author: string;
  status?: 'draft';
  daysAgo: number;
  views: number;
  helpful?: [yes: number, no: number];
  body: string;
}

// Articles that answer what the demo's customers ask in load-demo.ts, written the way a good support team writes them.
const ARTICLES: DemoArticle[] = [
  {
    slug: 'shipping-times-and-tracking',
    title: 'Shipping times and tracking your order',
    category: 'orders',
    author: 'priya@acme.test',
    daysAgo: 12,
    views: 388,
    helpful: [41, 6],
    body: `Orders placed before **2 pm Pacific time** on a business day leave our warehouse the same day. Later orders leave the next business day.

## How long delivery takes

| Shipping option | Where to | Time after dispatch | Cost |
| --- | --- | --- | --- |
| Standard | Contiguous US | 3–5 business days | Free over $50, otherwise $5.95 |
| Express | Contiguous US | 1–2 business days | $14.95 |
| Standard | Alaska and Hawaii | 5–8 business days | $12.95 |
| International | Canada | 5–10 business days | $19.95 |
| International | Everywhere else | 7–14 business days | From $29 |

Customs in your country may add a few days to international orders. We pay the duties on orders to Canada; elsewhere they are collected on delivery.

## Tracking your parcel

1. When your order leaves us, we send you an e-mail with a tracking link.
2. Open the link to see where your parcel is. The carrier's page updates a few hours after pick-up, so "label created" on the first evening is normal.
3. Your order and its tracking are also under **My requests** when you sign in to this help center.

> **Tip:** Bulky items such as cello cases, tents and floor underlay ship separately from the rest of your order, with their own tracking number. Two e-mails with two links means two parcels.

## When a parcel is late

If your parcel has not moved for **three business days**, or is more than two days past its delivery estimate, [contact us](${BASE}/contact) with your order number. We chase the carrier for you, and if it is lost we send a replacement by Express.`,
  },
  {
    slug: 'something-missing-from-your-order',
    title: 'Something is missing from your order',
    category: 'orders',
    author: 'sam@acme.test',
    daysAgo: 9,
    views: 164,
    helpful: [17, 2],
    body: `Sorry about that. Most of the time the missing piece is on its way in a second parcel; when it isn't, we send it at once.

## First, check these

- **The packing slip.** Items marked *Ships separately* travel in their own box. Accessories such as the **wheel kit for cello cases** are packed by a different warehouse and often arrive a day later.
- **Your e-mail.** Each parcel has its own tracking e-mail; see [Shipping times and tracking your order](${BASE}/articles/shipping-times-and-tracking).
- **The box itself.** Small parts (tent pegs, brake pad shims, wheel axles) are sometimes taped inside the lid.

## Still missing?

[Contact us](${BASE}/contact) and choose the topic **Orders & shipping**. Please include:

1. your order number (it starts with a #, for example #48213),
2. what is missing,
3. a photo of the packing slip, if you have it.

We send the missing part by Express at no cost to you. If it was a paid option (like the wheel kit), we also credit it on your invoice until it has arrived. You don't need to send anything back.`,
  },
  {
    slug: 'how-to-return-an-item',
    title: 'How to return an item',
    category: 'returns',
    author: 'sam@acme.test',
    daysAgo: 20,
    views: 301,
    helpful: [29, 4],
    body: `You can return anything you bought from us within **60 days** of delivery, as long as it is unused and in its original packaging. Worn-in boots and opened trail gum can't go back, but faulty things always can: see the [warranty article](${BASE}/articles/tent-pole-warranty-and-repair).

## Start a return

1. [Contact us](${BASE}/contact) with the topic **Returns**. Tell us your order number and what you are returning.
2. We reply with a prepaid return label, usually within a few hours on business days.
3. Pack the item, stick the label on the box, and drop it at any post office.

## Refunds

We refund to the card you paid with within **5 business days** of the parcel arriving back with us. Your bank may take a few more days to show it. Original shipping costs are refunded when the return is our mistake.

## Wrong size?

Tell us the size you need when you start the return. We send the new size straight away, before your return arrives, so you are not left waiting.

> **Tip:** Sometimes sending an item back costs more than it is worth. Then we may simply tell you to keep it: read about our [“keep it” policy](${BASE}/articles/our-keep-it-policy).`,
  },
  {
    slug: 'our-keep-it-policy',
    title: 'Our “keep it” policy',
    category: 'returns',
    author: OWNER,
    daysAgo: 30,
    views: 142,
    helpful: [22, 1],
    body: `Sometimes the kindest and most sensible thing is not to ask for a return at all. When that is the case, we tell you: **keep it, or pass it on to a friend.**

## When we say “keep it”

- The return postage would cost more than the item is worth to us.
- We sent the wrong size or colour. We send the right one, and you keep the first.
- A small item arrived damaged, and a photo tells us all we need to know.

You don't have to ask for this and there is nothing to fill in. When it applies, the person helping you will say so, and your replacement or refund goes out the same day.

## Why we do it

A returned jacket that travels across the country twice costs money, fuel and your time. We would rather spend that on getting you the right thing quickly. It is one of the few rules our team may bend without asking a manager: if they think it is right, it is right.`,
  },
  {
    slug: 'tent-pole-warranty-and-repair',
    title: 'Tent pole warranty and repair',
    category: 'returns',
    author: 'lee@acme.test',
    daysAgo: 6,
    views: 97,
    helpful: [12, 1],
    body: `Every Acme tent has a **5-year warranty** on its poles against breaking in normal use. A pole that snaps in wind or while pitching is covered; one that was driven over is not, but we still repair it at cost.

## If a pole breaks on a trip

Every tent comes with a **repair sleeve**: a short aluminium tube in the pole bag.

1. Straighten the broken section as well as you can and pull off any splinters.
2. Slide the sleeve over the break so that the break is in its middle.
3. Tape both ends of the sleeve firmly. Duct tape or the tape from a first-aid kit both work.

The repaired pole holds for the rest of the trip. Pitch the tent a little looser than usual to take strain off it.

## Getting a replacement

[Contact us](${BASE}/contact) with the topic **Returns** and a photo of the break. Tell us the tent's name (for example *Ridge 2*), printed on the pole bag.

- We send a new pole section within **2 business days**. You don't need to return the broken one.
- If more than one section is damaged, we send a complete pole.
- Out of warranty, a section costs $12 and a complete pole $35, shipping included.

> **Tip:** Keep the shock cord loose when you store the tent: poles that sit folded under tension for months are the ones that crack.`,
  },
  {
    slug: 'gps-rebooting-after-firmware-4-2',
    title: 'TrailNav GPS keeps rebooting after firmware 4.2 (error E-17)',
    category: 'products',
    author: 'lee@acme.test',
    daysAgo: 2,
    views: 412,
    helpful: [34, 4],
    body: `Some TrailNav X2 units restart every few minutes after the **4.2** firmware update. If you hold the power button for 10 seconds, the screen shows **E-17** before the unit restarts. Your routes and waypoints are safe: the fault is in how 4.2 reads some saved map tiles, not in your data.

A fix is coming in firmware 4.3. Until then, going back to **4.1.3** stops the restarts.

## Roll back to firmware 4.1.3

You need a computer and the USB cable that came with the unit.

1. Charge the TrailNav to at least 50 %.
2. Connect it to your computer and open **TrailNav Connect** (version 2.8 or later).
3. Choose **Settings › Firmware › Install an earlier version**.
4. Pick **4.1.3** and select **Install**.
5. Leave the cable in until the unit restarts by itself, about 8 minutes. Don't press any buttons meanwhile.

## Without TrailNav Connect

If the unit restarts too quickly for TrailNav Connect to see it, install 4.1.3 from the memory card instead. Download \`tn-x2-4.1.3.bin\` from our downloads page and copy it onto the card like this:

\`\`\`
TRAILNAV/
  UPDATE/
    tn-x2-4.1.3.bin
\`\`\`

Put the card back, then hold **power** and **zoom in** together for 5 seconds. The unit installs the file and restarts.

> **Tip:** To stay on 4.1.3 until 4.3 is out, turn off automatic updates under **Settings › System › Updates** after the rollback.

## Still rebooting?

[Contact us](${BASE}/contact) with the topic **Product question** and what the screen shows. If the rollback doesn't help, we replace the unit under warranty.`,
  },
  {
    slug: 'brake-pads-for-a-2009-honda-civic',
    title: 'Which brake pads fit a 2009 Honda Civic?',
    category: 'products',
    author: 'priya@acme.test',
    daysAgo: 15,
    views: 233,
    helpful: [19, 3],
    body: `The 2009 Civic came with two different front brakes, so the right pads depend on the model. The model is printed on the boot lid; the **VIN** on your registration tells you for certain.

## Front pads

- **DX, LX and EX (sedan and coupe):** ceramic set **AC-4471**. This is the set most people need.
- **Si:** the Si has larger front discs and needs set **AC-4490**.
- **Hybrid:** set **AC-4471** fits, same as the sedan.

## Rear brakes

- **DX and LX** have rear drums: you need shoes (**AC-2205**), not pads.
- **EX and Si** have rear discs: pad set **AC-3310**.

## Good to know

- Each set does one axle: both wheels, with the shims and clips.
- Ceramic pads are quieter and make less dust than the original semi-metallic ones; they need about 300 km of gentle braking to bed in.
- Not sure? [Ask us](${BASE}/contact) with your VIN and we check the fitment before you order. Parts that don't fit come back free of charge.`,
  },
  {
    slug: 'underlay-for-a-basement-floor',
    title: 'Choosing an underlay for a basement floor',
    category: 'products',
    author: 'sam@acme.test',
    daysAgo: 25,
    views: 118,
    helpful: [14, 2],
    body: `Basements are built on concrete, and concrete breathes moisture. Under a laminate or engineered wood floor, the underlay's first job there is to keep that moisture out of the floor.

## Which one?

- **Standard 3 mm foam with vapour barrier.** Right for most basements: dry concrete, laminate or engineered wood, and a room you don't use for music or a home cinema.
- **Premium 5 mm with vapour barrier.** Worth it when the concrete is slightly uneven (it evens out up to 2 mm per metre), when the room is cold, or when you want it quieter. It is warmer underfoot and halves the hollow sound of laminate.

Don't use an underlay *without* a vapour barrier on concrete, however thick it is.

## Is my floor dry enough?

Tape a 1 m × 1 m sheet of clear plastic to the bare concrete and leave it for 24 hours. If the underside is wet or the concrete under it is darker, the floor needs a damp-proof membrane first; ask us and we help you choose one.

## How much to order

Measure the floor and add 10 % for cutting. A roll covers 10 m². For a 40 m² basement: 40 + 4 = 44 m², so **5 rolls**.

> **Tip:** Lay the strips at right angles to the floorboards, and tape the seams with the vapour barrier tape from the same range, so there are no gaps for moisture.`,
  },
  {
    slug: 'trail-gum-ingredients-and-shelf-life',
    title: 'Trail gum: flavours, ingredients and how long it keeps',
    category: 'products',
    author: 'priya@acme.test',
    daysAgo: 40,
    views: 86,
    helpful: [9, 0],
    body: `Our trail gum is made for long days outside: it doesn't melt in a hot pocket, and it doesn't freeze solid on a cold summit.

## Flavours

- **Spearmint**, the one most people take on their hikes
- **Peppermint**, stronger
- **Wild berry**, with no mint at all
- **Spearmint + caffeine**, 40 mg per piece (about half a cup of coffee)

## Ingredients

Gum base, xylitol, natural flavours, sunflower lecithin. It has no sugar and no animal products, and it is made in a nut-free facility.

> **Tip:** Xylitol is poisonous to dogs, even in small amounts. Keep the packs out of reach of four-legged hiking partners.

## How long it keeps

Sealed packs keep for **18 months**; the date is on the back. An opened pack is best within three months. Heat and cold don't spoil it, but a pack left in a car in summer can go a little soft; it hardens again when it cools.`,
  },
  {
    slug: 'unable-to-install-app-update-on-iphone',
    title: '“Unable to install” when updating the iPhone app',
    category: 'account',
    author: 'lee@acme.test',
    daysAgo: 1,
    views: 205,
    helpful: [16, 5],
    body: `Since iOS 18.1, the App Store sometimes stops an update of the Acme app with **“Unable to install”**. Your account and your saved routes are safe: they are stored with your account, not only on the phone.

Try these in order; most people are done after the second.

1. **Check the free space.** The update needs about 350 MB. See **Settings › General › iPhone Storage**.
2. **Restart the phone**, then open the App Store and select **Update** again.
3. **Offload the app and reinstall it.** Go to **Settings › General › iPhone Storage › Acme**, select **Offload App**, then **Reinstall App**. Offloading keeps your data on the phone.
4. **Sign out of the App Store and back in** (**Settings › your name › Media & Purchases › Sign Out**), then update again.

## Which phones are supported?

The app needs **iOS 16 or later**; it runs on iPhone XS and newer.

## Still not working?

[Contact us](${BASE}/contact) with the topic **The app**, your iPhone model and iOS version (**Settings › General › About**), and a screenshot of the message.`,
  },
  {
    slug: 'reset-your-account-password',
    title: 'Reset your account password',
    category: 'account',
    author: OWNER,
    daysAgo: 18,
    views: 267,
    helpful: [31, 2],
    body: `Forgot the password of your Acme account? You can set a new one in a minute.

1. On the sign-in page of our shop or app, select **Forgot password?**
2. Enter the e-mail address of your account and select **Send reset link**.
3. Open the e-mail from Acme Outfitters and select **Set a new password**. The link works once, for **30 minutes**.
4. Choose a new password of at least 10 characters. A few unrelated words make a good one.

You are signed in straight away, and signed out on your other devices.

## No e-mail?

- Look in your spam or junk folder for a message from *accounts@acme.test*.
- Check that you typed the address you signed up with; we don't say whether an address has an account, so a typo sends nothing.
- Still nothing after 10 minutes? [Contact us](${BASE}/contact) and we help you in.

> **Tip:** This help center doesn't need a password at all: to follow your requests, [sign in](${BASE}/portal/sign-in) with a link we e-mail you.`,
  },
  {
    slug: 'following-your-requests',
    title: 'Following your requests in the help center',
    category: 'account',
    author: 'priya@acme.test',
    daysAgo: 10,
    views: 74,
    body: `Everything you have written to us — by e-mail, in the chat on our website, by phone or with the contact form — is in one place: **My requests**.

## Sign in

1. Select **Sign in** at the top of any page of this help center.
2. Enter your e-mail address. We send you a link that signs you in; it works once, for 15 minutes.

There is no password to remember.

## What you can do there

- See every conversation with us, newest first, and whether we are waiting for you.
- Read the whole history of a conversation, whichever way you wrote.
- Reply, and add photos or files. A reply to a solved conversation opens it again.`,
  },
  {
    slug: 'trailnav-firmware-4-3',
    title: 'TrailNav firmware 4.3: what’s fixed',
    category: 'products',
    author: 'lee@acme.test',
    status: 'draft',
    daysAgo: 0,
    views: 0,
    body: `*Draft: publish on release day.*

Firmware 4.3 fixes the restarts with error **E-17** that some TrailNav X2 units had after 4.2.

## What's new

- Saved map tiles from before 4.2 are read correctly again.
- Battery estimate is more accurate below 20 %.

## How to update

Connect the unit to TrailNav Connect and choose **Settings › Firmware › Check for updates**.`,
  },
];

interface DemoThread {
  asker: Person;
  title: string;
  body: string;
  daysAgo: number;
  /** Customers who voted the question up. */
  voters?: Person[];
  answers: { by: string | Person; body: string; daysAgo: number; accepted?: boolean; voters?: Person[] }[];
}

type Person = ContactRef & { name: string };

const TOM = { name: 'Tom Becker', email: 'tom.becker@example.org' };
const CHRIS = { name: 'Chris Park', email: 'chris@parkfloors.example' };
const MAYA = { name: 'Maya Johnson', email: 'maya.johnson@example.com' };
const JESS = { name: '@hikerjess', handle: '@hikerjess', externalId: 'tw-48213' };
const MARCO = { name: 'Marco Bianchi', email: 'marco.bianchi@example.net' };
const JUSTIN = { name: 'Justin Moore', email: 'justin.moore@example.com' };

// The community: one question with an accepted staff answer, one answered by another customer, one answered by staff, one waiting.
const THREADS: DemoThread[] = [
  {
    asker: TOM,
    title: 'GPS restarts every 10 minutes since the 4.2 update, shows E-17',
    body: 'My TrailNav X2 has restarted every ten minutes or so since I installed firmware 4.2 last week. Holding the power button shows **E-17** and then it reboots. A factory reset did not help. Is anyone else seeing this?',
    daysAgo: 3,
    voters: [JUSTIN, CHRIS, MAYA],
    answers: [
      {
        by: 'lee@acme.test',
        body: `Thanks for the clear description, Tom: E-17 after 4.2 is a known fault in how 4.2 reads some saved map tiles, and a fix is coming in 4.3.

Until then, rolling back to **4.1.3** stops the restarts, and your routes and waypoints are kept. The steps (with TrailNav Connect, or from the memory card if the unit restarts too quickly) are here: [TrailNav GPS keeps rebooting after firmware 4.2](${BASE}/articles/gps-rebooting-after-firmware-4-2).`,
        daysAgo: 2,
        accepted: true,
        voters: [TOM, JUSTIN, MARCO, CHRIS],
      },
      {
        by: JUSTIN,
        body: 'Same here on my X2. The rollback from the memory card worked: no restart since yesterday. Turn off automatic updates afterwards or it installs 4.2 again overnight.',
        daysAgo: 1,
      },
    ],
  },
  {
    asker: CHRIS,
    title: 'Is the premium underlay worth it on a concrete basement floor?',
    body: 'Planning about 40 m² of laminate in the basement, on concrete. The standard underlay has a vapour barrier too. Does the premium one make a real difference, or is it just thicker?',
    daysAgo: 6,
    voters: [MARCO],
    answers: [
      {
        by: MARCO,
        body: `I did 35 m² in our basement last winter and went with the premium one. Two things made it worth it for us:

- the concrete had a slight dip near the drain that the 5 mm evened out, and
- the floor sounds much less hollow; the room is our kids' playroom.

If your concrete is flat and you don't mind the sound, the standard one is fine. Do the plastic sheet test for moisture first either way.`,
        daysAgo: 5,
        voters: [CHRIS],
      },
    ],
  },
  {
    asker: JESS,
    title: 'Spare pole section for the Ridge 2 tent?',
    body: 'One pole section of my Ridge 2 snapped on day two of a trip. The repair sleeve got me through, but can I buy a spare section to carry from now on?',
    daysAgo: 2,
    answers: [
      {
        by: 'sam@acme.test',
        body: `Sorry to hear about the trip, and glad the sleeve held! A broken pole is covered by the 5-year warranty: send us a photo through the [contact form](${BASE}/contact) and we send a new section, no need to return the old one.

A spare to carry costs $12 with shipping; just mention it in the same message. More in [Tent pole warranty and repair](${BASE}/articles/tent-pole-warranty-and-repair).`,
        daysAgo: 1.5,
      },
    ],
  },
  {
    asker: MAYA,
    title: 'Will the spearmint trail gum come in a 24-pack?',
    body: 'The spearmint trail gum is the best thing on my long hikes. I go through a 6-pack every trip; a bigger pack (and less packaging) would be great. Any plans?',
    daysAgo: 0.5,
    answers: [],
  },
];

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

/**
 * Publishes the demo workspace's help center at /help/acme: categories and articles that
 * answer the demo's stories (one of them a draft), and a community with questions from
 * the demo's customers. Everything goes through the services the API uses; only the
 * dates, view counts and helpful votes are set afterwards, so the pages look lived in.
 */
export async function loadHelpCenterDemo(ctx: Ctx, people: ReadonlyMap<string, Actor>) {
  const owner = people.get(OWNER)!;
  // Two transactions, not one per row: on PGlite each commit costs more than the writes in it.
  const hc = await inTransaction(ctx, async (tx) => {
    const settings = await updateHelpCenter(tx, owner, {
      slug: DEMO_HELP_SLUG,
      title: 'Acme Outfitters Help',
      color: '#1e6b52',
      published: true,
      footer: FOOTER,
      topics: TOPICS,
      communityEnabled: true,
    });
    const categoryIds = new Map<CategoryKey, string>();
    for (const c of CATEGORIES) categoryIds.set(c.key, (await createCategory(tx, owner, { name: c.name, description: c.description })).id);
    for (const a of ARTICLES) {
      const made = await createArticle(tx, people.get(a.author)!, { title: a.title, slug: a.slug, body: a.body, categoryId: categoryIds.get(a.category), status: a.status ?? 'published' });
      const at = ago(a.daysAgo);
      await tx
        .update(kbArticles)
        .set({ createdAt: at, updatedAt: at, publishedAt: a.status ? null : at, helpfulYes: a.helpful?.[0] ?? 0, helpfulNo: a.helpful?.[1] ?? 0 })
        .where(eq(kbArticles.id, made.id));
      await tx.update(kbArticleViews).set({ views: a.views }).where(eq(kbArticleViews.articleId, made.id));
    }
    return settings;
  });

  await inTransaction(ctx, async (tx) => {
    const customer = async (ref: Person) => ({ contactId: (await identifyContact(tx, owner.workspaceId, ref)).contact.id });
    const vote = async (voters: Person[] | undefined, targetId: string) => {
      for (const v of voters ?? []) await toggleVote(tx, hc, (await customer(v)).contactId, targetId);
    };
    for (const th of THREADS) {
      const asker = await customer(th.asker);
      const thread = await askQuestion(tx, hc, asker, { title: th.title, body: th.body });
      await tx.update(communityThreads).set({ createdAt: ago(th.daysAgo), updatedAt: ago(th.daysAgo), lastActivityAt: ago(th.daysAgo) }).where(eq(communityThreads.id, thread.id));
      for (const a of th.answers) {
        const author = typeof a.by === 'string' ? { actor: people.get(a.by)! } : await customer(a.by);
        const post = await answerThread(tx, hc, thread.id, author, a.body);
        await tx.update(communityPosts).set({ createdAt: ago(a.daysAgo), updatedAt: ago(a.daysAgo) }).where(eq(communityPosts.id, post.id));
        await tx.update(communityThreads).set({ lastActivityAt: ago(a.daysAgo), updatedAt: ago(a.daysAgo) }).where(eq(communityThreads.id, thread.id));
        // The one who asked accepts the answer that solved it.
        if (a.accepted) await acceptAnswer(tx, hc, thread.id, post.id, asker);
        await vote(a.voters, post.id);
      }
      await vote(th.voters, thread.id);
    }
  });
  return hc;
}
