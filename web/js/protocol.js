// SPDX-License-Identifier: EUPL-1.2
// The red-flag protocol texts. Compiled into the UI, never fetched (research note §15.3 point 5):
// the protocol must show even when a locale file or the network fails at the worst moment. The
// volunteer protocol is in plain Dutch; the calm message for the client is here in every
// conversation language. Placeholders {n112}, {n113}, {n0800}, {n2000} become tel: links.

/** Crisis numbers: [href, shown]. */
export const TEL = {
  n112: ['tel:112', '112'],
  n113: ['tel:113', '113'],
  n0800: ['tel:08000113', '0800-0113'],
  n2000: ['tel:08002000', '0800-2000'],
};

/** Actions a volunteer can record (POST /api/v1/red-flags/{fid}/actions), in display order. */
export const ACTIONS = [
  'stayed_with_person', 'called_112', 'gp_same_day', 'gp_out_of_hours', 'reception_health_post',
  'called_113', 'other',
];

/** The volunteer protocol, in Dutch. */
export const NL = {
  lang: 'nl',
  title: {
    suicide: 'Zorg om veiligheid: gedachten aan de dood of zelfdoding',
    danger: 'Zorg om veiligheid: gevaar nu',
  },
  lead: 'Lees dit eerst. Het gesprek wacht.',
  steps: {
    suicide: [
      'Blijf bij de persoon. Laat hem of haar nu niet alleen.',
      'Is er nu direct gevaar voor het leven? Bel {n112}.',
      'Is er geen direct gevaar? Zorg dat er vandaag nog hulp is: bel samen met de persoon de huisarts. Buiten kantooruren: de huisartsenpost. Woont de persoon in de opvang? Dan kan ook het gezondheidscentrum op de locatie (GZA).',
      'Bel {n113} of {n0800} (gratis), dag en nacht. Voor de persoon zelf, en ook voor jou als je advies wilt.',
      'Vraag rustig en direct door, en luister. Beloof geen geheimhouding. Je hoeft dit niet alleen te dragen.',
    ],
    danger: [
      'Blijf bij de persoon, als dat veilig is voor jou.',
      'Is iemand nu in gevaar? Bel {n112}.',
      'Ga als het kan samen naar een veilige plek, met andere mensen in de buurt.',
      'Zorg dat er vandaag nog hulp is: de huisarts, buiten kantooruren de huisartsenpost, of in de opvang het gezondheidscentrum (GZA).',
      'Wil je overleggen, of denkt de persoon aan zelfdoding? Bel {n113} of {n0800} (gratis), dag en nacht. Ook voor jou.',
    ],
  },
  child: 'Gaat het om een kind of jongere onder de 18? Informeer de ouder of voogd, behalve als het kind daardoor onveilig wordt. Schakel de jeugdarts (JGZ) in. Vermoed je mishandeling? Bel Veilig Thuis: {n2000} (gratis).',
  manual: {
    title: 'Ik maak me zorgen over de veiligheid',
    lead: 'Waar maak je je zorgen over? Kies wat het meest past. De melding wordt meteen vastgelegd.',
    suicide: 'De persoon denkt aan de dood of aan zelfdoding, of doet zichzelf pijn',
    danger: 'De persoon is nu in gevaar, of wordt bedreigd',
    cancel: 'Toch niet: terug',
  },
  raising: 'De melding wordt vastgelegd…',
  raised: 'De melding is vastgelegd in het dossier. Zij blijft open tot een zorgprofessional haar sluit.',
  raise_failed: 'De melding kon nog niet worden opgeslagen. Volg het protocol; bij ‘Vastleggen’ proberen we het opnieuw.',
  record_title: 'Wat heb je gedaan?',
  record_hint: 'Kies alles wat je hebt gedaan. Je kunt dit scherm pas sluiten als je dit hebt vastgelegd.',
  note: 'Korte toelichting',
  note_hint: 'Wie heb je gebeld, wanneer, en wat is afgesproken? Of waarom niet? Hoogstens 1000 tekens.',
  record: 'Vastleggen',
  recording: 'Bezig met vastleggen…',
  record_failed: 'Vastleggen is niet gelukt. Controleer de verbinding en probeer het opnieuw. Het protocol blijft staan.',
  need_action: 'Kies ten minste één handeling.',
  need_note: 'Schrijf kort op wat er is gebeurd.',
  actions: {
    stayed_with_person: 'Ik ben bij de persoon gebleven',
    called_112: '112 gebeld',
    gp_same_day: 'Huisarts gebeld: er is vandaag hulp',
    gp_out_of_hours: 'Huisartsenpost gebeld',
    reception_health_post: 'Gezondheidscentrum op de opvanglocatie (GZA) ingeschakeld',
    called_113: '113 of 0800-0113 gebeld',
    other: 'Iets anders (schrijf het hieronder op)',
  },
  to_volunteer: 'Voor de begeleider: verder',
  note_prefix: {
    answer: 'Antwoord in het gesprek op de vraag: ',
    manual: 'Handmatig gemeld door de begeleider.',
  },
};

/**
 * The calm message for the client, in the conversation language: no risk labels, only that they
 * are not alone, the 113 line and 112, and to give the phone back.
 */
export const CALM = {
  nl: {
    title: 'U bent niet alleen.',
    body: 'Dank u dat u dit vertelt. Het is goed dat u het zegt. U kunt dag en nacht bellen met {n113}, gratis via {n0800}. Bent u nu in gevaar? Bel {n112}.',
    give_back: 'Geef de telefoon nu terug aan de persoon die u helpt. Die blijft bij u.',
  },
  en: {
    title: 'You are not alone.',
    body: 'Thank you for telling us. It is good that you said it. You can call {n113} day and night, free on {n0800}. Are you in danger now? Call {n112}.',
    give_back: 'Please give the phone back now to the person who is helping you. They will stay with you.',
  },
  ar: {
    title: 'لست وحدك.',
    body: 'شكراً لأنك أخبرتنا. من الجيد أنك قلت ذلك. يمكنك الاتصال بالرقم {n113} ليلاً ونهاراً، مجاناً على {n0800}. هل أنت في خطر الآن؟ اتصل بالرقم {n112}.',
    give_back: 'من فضلك أعد الهاتف الآن إلى الشخص الذي يساعدك. سيبقى معك.',
  },
  fa: {
    title: 'شما تنها نیستید.',
    body: 'ممنون که به ما گفتید. خوب است که این را گفتید. شب و روز می‌توانید با {n113} تماس بگیرید، رایگان: {n0800}. آیا الان در خطر هستید؟ با {n112} تماس بگیرید.',
    give_back: 'لطفاً گوشی را همین حالا به کسی که به شما کمک می‌کند برگردانید. او پیش شما می‌ماند.',
  },
  ti: {
    title: 'በይንኹም ኣይኮንኩምን።',
    body: 'ስለ ዝነገርኩምና የቐንየልና። ምዝራብኩም ጽቡቕ እዩ። ለይትን መዓልትን ናብ {n113} ክትድውሉ ትኽእሉ ኢኹም፡ ብነጻ {n0800}። ሕጂ ኣብ ሓደጋ ዲኹም ዘለኹም? ናብ {n112} ደውሉ።',
    give_back: 'በጃኹም ሕጂ ነቲ ዝሕግዘኩም ዘሎ ሰብ ተሌፎን መልሱሉ። ምሳኹም ክጸንሕ እዩ።',
  },
  so: {
    title: 'Keligaa ma tihid.',
    body: 'Waad ku mahadsan tahay inaad noo sheegtay. Waa wanaagsan tahay inaad sheegtay. Habeen iyo maalin waad wici kartaa {n113}, lacag la\'aan {n0800}. Hadda khatar ma ku jirtaa? Wac {n112}.',
    give_back: 'Fadlan hadda taleefanka u celi qofka ku caawinaya. Wuu kula joogi doonaa.',
  },
  tr: {
    title: 'Yalnız değilsiniz.',
    body: 'Bize anlattığınız için teşekkür ederiz. Bunu söylemeniz iyi oldu. Gece gündüz {n113} numarasını arayabilirsiniz, ücretsiz: {n0800}. Şu an tehlikede misiniz? {n112} numarasını arayın.',
    give_back: 'Lütfen telefonu şimdi size yardım eden kişiye geri verin. O yanınızda kalacak.',
  },
  uk: {
    title: 'Ви не самі.',
    body: 'Дякуємо, що Ви розповіли. Добре, що Ви про це сказали. Ви можете телефонувати на {n113} вдень і вночі, безкоштовно: {n0800}. Вам зараз загрожує небезпека? Телефонуйте {n112}.',
    give_back: 'Будь ласка, зараз поверніть телефон людині, яка Вам допомагає. Вона залишиться з Вами.',
  },
};

/** The calm message in `lang` (BCP 47; the base language is used), else Dutch. */
export function calmFor(lang) {
  const base = String(lang || 'nl').split('-')[0];
  return { lang: CALM[base] ? base : 'nl', ...(CALM[base] || CALM.nl) };
}
