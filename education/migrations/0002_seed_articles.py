"""Seed the four articles, published and honestly marked "not yet medically reviewed".

The prose was written for this project; facts and references come from CLINICAL.md. The
text lives here, frozen, so that this migration does the same thing forever: editors change
articles in the admin, never by editing this file.
"""

import datetime

from django.db import migrations
from django.utils import timezone

from education.rendering import render_markdown

ARTICLES = [{'slug': 'opioid-induced-hyperalgesia',
  'title': 'What to do if you may have opioid-induced hyperalgesia',
  'summary': 'Opioids can sometimes make the body more sensitive to pain. Learn the signs, '
             'what else it could be, and how to get better pain care.',
  'body': 'If you take opioids for pain and your pain keeps getting worse, you are not alone. '
          'Your pain is real, and it deserves care. In some people, taking opioids for a long '
          'time can make the body more sensitive to pain. Doctors call this opioid-induced '
          'hyperalgesia. We will call it OIH for short.\n'
          '\n'
          'This page explains what OIH is and how it happens. It also covers other things that '
          'look like it, and what you can do next. Only a clinician can say if OIH is part of '
          'your pain.\n'
          '\n'
          '## What opioids are used for\n'
          '\n'
          'Opioids are strong pain medicines. For a long time, doctors used them mostly for '
          'bad pain that comes on fast and does not last long. Pain after surgery or a serious '
          'injury are two examples.\n'
          '\n'
          'Over the past few decades, many more people got opioids for pain that lasts for '
          'months or years. This is called chronic pain.\n'
          '\n'
          'As people took opioids for longer, researchers learned more about their side '
          'effects. Some of them are serious. OIH is one of them. With OIH, a person who takes '
          'opioids slowly becomes more sensitive to pain [2].\n'
          '\n'
          'Because of these risks, leading groups of pain experts and drug use experts now '
          'advise against opioids for most long-term pain. There are a few exceptions, such as '
          'long-term pain from cancer.\n'
          '\n'
          'If you take opioids now, you did nothing wrong. It is simply a good reason to keep '
          'talking with your care team about what works best for you.\n'
          '\n'
          '## How opioids change the way your body feels pain\n'
          '\n'
          'Your nerves carry pain signals to your brain. Opioids attach to special spots on '
          'nerve cells, called receptors. This blocks some of the pain signals, so you feel '
          'less pain.\n'
          '\n'
          'When the body gets opioids all the time, the nerve cells slowly change to adjust. '
          'Over time, this changed system can start to make extra pain signals of its own. '
          'Then the same dose may give less relief. A person may need more medicine to get the '
          'same help.\n'
          '\n'
          'Higher doses bring higher risks. They can make you very drowsy. They can slow your '
          'breathing to a dangerous level. In some cases, they can even cause sudden death. '
          'This is one reason every change to your dose should be guided by a clinician.\n'
          '\n'
          '## OIH and the opioid crisis\n'
          '\n'
          'Some experts think OIH may play a part in the opioid crisis [1]. Here is how that '
          'could happen:\n'
          '\n'
          "- A person's pain gets worse, so they take more pain medicine.\n"
          '- They do not know that the medicine itself may be adding to the pain.\n'
          '- The pain grows, the dose grows, and the cycle goes on.\n'
          '\n'
          'Scientists are still studying this. No one knows yet how often OIH happens, and the '
          'studies in people do not all agree. Still, it helps to know that this cycle can '
          'happen, so you can ask about it.\n'
          '\n'
          '## Signs of OIH\n'
          '\n'
          'People with OIH have real pain, and it is often strong. Their body turns up pain '
          'signals that other people would hardly notice. Signs that doctors look for '
          'include:\n'
          '\n'
          '- Your pain got worse, not better, after your opioid dose went up [2].\n'
          '- Your pain has spread to new places, or it now feels like it is all over.\n'
          '- Things that never hurt before now hurt. This could be a light touch, your '
          'clothes, your bed sheets, a shower, or a hug.\n'
          '- You have taken opioids on most days for three months or more. OIH is seen more '
          'often after that.\n'
          '\n'
          'These signs are worth a talk with your clinician. But they do not prove that OIH is '
          'the cause. There is no single test for OIH. A clinician can only name it after '
          'checking for other causes first.\n'
          '\n'
          '## What OIH can look like\n'
          '\n'
          'Other problems can cause signs that look a lot like OIH. Your clinician will want '
          'to check for these. Here they are in plain words.\n'
          '\n'
          '### Tolerance\n'
          '\n'
          'Tolerance means your body has gotten used to a medicine. The same dose does not '
          'work as well as it used to. With tolerance, a higher dose helps again, at least for '
          'a while. With OIH, a higher dose may make the pain worse.\n'
          '\n'
          '### Withdrawal between doses\n'
          '\n'
          'As each opioid dose wears off, the body can go into a mild form of withdrawal. The '
          'pain is often worst just before the next dose is due. It can also flare when a dose '
          'is late, missed, or lowered. You may yawn a lot, have a runny nose, or sweat. You '
          'may get goosebumps, an upset stomach, or feel restless. These feelings often ease '
          'after the next dose.\n'
          '\n'
          '### A new injury or illness\n'
          '\n'
          'Pain can also get worse for a new reason. This might be a fall or other injury, or '
          'surgery. It might be a new illness, or a health problem that is getting worse. '
          'These need to be checked first. Tell your clinician about any change in your '
          'health, even if it seems small.\n'
          '\n'
          '### Trouble with control or cravings\n'
          '\n'
          'Needing more medicine, or having withdrawal, does not on its own mean you have a '
          'problem with opioid use. That kind of problem is about what a person does. For '
          'example, it may be hard to control how much you take, or you may have strong '
          'cravings. If this sounds like you, you deserve help, not blame. Tell your '
          'clinician, or see our page on getting help for confidential support.\n'
          '\n'
          '## What you can do\n'
          '\n'
          'If you think OIH may be part of your pain, there are good steps you can take. '
          'Please do not change your opioid dose on your own. Any change should be planned '
          'with your clinician and made slowly.\n'
          '\n'
          '### Get a full pain check\n'
          '\n'
          'A full pain evaluation looks at your pain, your health, your medicines, and your '
          'daily life. It works best when a team with different skills does it. The team may '
          'include doctors, nurses, and pharmacists. It may also include physical therapists '
          'and mental health experts. Each one sees a different side of your pain.\n'
          '\n'
          '### Learn about other medicines\n'
          '\n'
          'Some pain medicines are not opioids. Your clinician may suggest acetaminophen, or '
          'NSAIDs such as ibuprofen. Other medicines, called adjuncts, were first made for '
          'other health problems. They can also ease some kinds of pain. Some antidepressants '
          'and some seizure medicines, called anticonvulsants, are examples. Your clinician '
          'can tell you which ones, if any, are safe for you.\n'
          '\n'
          '### Try care that is not medicine\n'
          '\n'
          'Many treatments without pills can help with long-term pain. They include:\n'
          '\n'
          '- exercise and gentle movement\n'
          '- physical therapy\n'
          '- cognitive behavioral therapy (CBT), a kind of talk therapy that teaches skills '
          'for living with pain\n'
          '- massage\n'
          '- acupuncture\n'
          '- mind-body methods, such as yoga, tai chi, or meditation\n'
          '- ways to relax, such as slow, deep breathing\n'
          '\n'
          'You can use more than one at a time. Many people find that a mix works best.\n'
          '\n'
          '## The good news\n'
          '\n'
          "OIH can get better. When opioids are lowered slowly, with a clinician's care, OIH "
          'often fades over time [3]. This does not happen overnight. It can take weeks or '
          'months. During that time, the nerve cells and their receptors slowly go back to '
          'normal. Many people have less pain once this is done [3].\n'
          '\n'
          'Slow and planned is the key. Stopping all at once, or lowering a dose too fast, can '
          'be harmful. It can cause withdrawal, more pain, and deep distress. Your clinician '
          'can plan a pace that is safe for you.\n'
          '\n'
          '## Talk to your doctor\n'
          '\n'
          'If you take opioids long term and your pain does not seem well controlled, talk to '
          'your doctor. You do not have to prove anything. Just share what you have noticed, '
          'such as:\n'
          '\n'
          '- when your pain started to get worse\n'
          '- where it hurts now, and what it feels like\n'
          '- what happened to your pain after a dose change\n'
          '- any new injury, illness, or other change in your health\n'
          '\n'
          'Your doctor can look for the cause. If it makes sense for you, they can plan a '
          'safe, slow dose change with you. They can also help you build better pain care, '
          'based on strong evidence.\n'
          '\n'
          'You deserve pain care that works. Asking these questions is a good first step.\n'
          '\n'
          '### When to get help right away\n'
          '\n'
          'Some signs cannot wait for a visit. Get emergency help now if someone who takes '
          'opioids cannot be woken up, is breathing very slowly, or has blue or gray lips. '
          'Also get help now if you are thinking about ending your life. Our page on getting '
          'help lists the numbers to call.\n',
  'show_help_lines': False,
  'related': ['changing-opioid-doses-safely', 'pain-care-beyond-opioids', 'getting-help'],
  'references': [('Servick K. Why painkillers sometimes make the pain worse. Science, November '
                  '2016.',
                  'https://www.science.org/content/article/why-painkillers-sometimes-make-pain-worse',
                  '2022-07-15'),
                 ('Kaneria A. Opioid-induced hyperalgesia: when painkillers make pain worse. '
                  'BMJ Case Reports, June 2014.',
                  'https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4054124/',
                  '2022-07-15'),
                 ('When medications make pain worse: opioid-induced hyperalgesia. The '
                  'Consultant Pharmacist, August 2011.',
                  'https://pubmed.ncbi.nlm.nih.gov/21840817/',
                  '2022-07-15')]},
 {'slug': 'changing-opioid-doses-safely',
  'title': 'Changing opioid doses safely',
  'summary': 'Why opioid doses should change only slowly and with your clinician, the signs of '
             'withdrawal and overdose, and how naloxone can save a life.',
  'body': 'If you take opioids, you and your clinician may one day talk about changing your '
          'dose. A change can be safe when it is done the right way. This page explains what '
          'that looks like, and which warning signs to watch for.\n'
          '\n'
          '## Never change your dose on your own\n'
          '\n'
          'Changing your opioid dose by yourself can be dangerous, even when you mean well. '
          'This is true whether you take less or take more.\n'
          '\n'
          '- Taking less, too fast, can cause withdrawal, worse pain, and deep distress [1].\n'
          '- Taking more than your prescription says raises your risk of an overdose.\n'
          '\n'
          'If your dose does not feel right, tell your clinician. Together you can find a safe '
          'way forward.\n'
          '\n'
          '## What a safe change looks like\n'
          '\n'
          'A safe change is planned with your clinician and made slowly [2]. Here is what that '
          'usually means:\n'
          '\n'
          '- **You decide together.** Your goals and your worries are part of the plan.\n'
          '- **Changes are small and spread out over time.** The pace depends on you, your '
          'health, and how long you have taken opioids.\n'
          '- **You check in often.** Your clinician asks about your pain, your sleep, your '
          'mood, and how you are coping.\n'
          '- **The plan can slow down or pause.** If a step feels too hard, your clinician can '
          'adjust it [2]. That is not a failure.\n'
          '- **Other pain care supports you.** Things like physical therapy, exercise, or talk '
          'therapy can help along the way [3].\n'
          '\n'
          'Dose changes can be stressful. It is fine to ask for support for your mood, too.\n'
          '\n'
          '## Signs of withdrawal\n'
          '\n'
          'Withdrawal can happen when the body is used to opioids and gets less than it '
          'expects. Signs can include:\n'
          '\n'
          '- yawning a lot\n'
          '- a runny nose or watery eyes\n'
          '- sweating or chills\n'
          '- goosebumps\n'
          '- an upset stomach, loose stools, or throwing up\n'
          '- feeling restless or anxious, or trouble sleeping\n'
          '- more pain than usual\n'
          '\n'
          'Withdrawal can feel awful, but your clinician can help. Tell them if you notice '
          'these signs. Please do not try to ease withdrawal by taking extra doses on your '
          'own.\n'
          '\n'
          '## Why stopping all at once is dangerous\n'
          '\n'
          'In 2019, the US Food and Drug Administration (FDA) warned about harm to patients '
          'whose opioids were stopped suddenly or lowered too fast [1]. The harms it reported '
          'included:\n'
          '\n'
          '- serious withdrawal\n'
          '- pain that got much worse\n'
          '- deep distress\n'
          '- thoughts of suicide, and suicide attempts\n'
          '\n'
          'Guides for doctors in the US say the same thing. In most cases, they advise against '
          'stopping opioids all at once in people who have taken them for a long time [2] '
          '[3].\n'
          '\n'
          'If you are thinking about hurting yourself, please get help now. Our page on '
          'getting help lists the numbers to call.\n'
          '\n'
          '## Why an old dose can become unsafe\n'
          '\n'
          'When you take a lower dose for a while, your body loses some of its tolerance. '
          'Tolerance means your body has gotten used to a medicine. It can fade within about a '
          'week [2].\n'
          '\n'
          'This means a dose that once felt safe can now be far too strong. Taking your old '
          'amount again, after a break or a lower dose, can slow or stop your breathing. This '
          'is a common way that overdoses happen.\n'
          '\n'
          'If your pain flares after a dose change, do not restart your old amount on your '
          'own. Call your clinician instead. They can help you find a safe next step.\n'
          '\n'
          '## Signs of an overdose\n'
          '\n'
          'An overdose is an emergency. Signs include:\n'
          '\n'
          '- the person cannot be woken up, or is very hard to wake\n'
          '- breathing is very slow, has stopped, or makes a gurgling or snoring sound\n'
          '- the pupils (the black centers of the eyes) are very small, like pinpoints\n'
          '- the lips or fingertips look blue or gray\n'
          '- the body is limp\n'
          '\n'
          'If you see these signs, call your local emergency number right away. Do not wait to '
          'see if the person gets better.\n'
          '\n'
          '## Naloxone can save a life\n'
          '\n'
          'Naloxone is a medicine that can quickly reverse an opioid overdose [3]. It is often '
          'given as a spray in the nose. In the US, a 4 mg naloxone nose spray has been sold '
          'over the counter since 2023. That means you can buy it at many stores without a '
          'prescription. In other places, ask a pharmacist or your clinician how to get it.\n'
          '\n'
          'If you take opioids, it is a good idea to keep naloxone at home. Make sure the '
          'people you live with know where it is and how to use it.\n'
          '\n'
          '### How to use naloxone\n'
          '\n'
          '1. Call your local emergency number, or ask someone else to call.\n'
          '2. Spray one dose into one nostril. Follow the steps on the package.\n'
          '3. Stay with the person. If they are breathing, roll them onto their side.\n'
          '4. If they do not wake up or breathe better in 2 to 3 minutes, give a second dose '
          'in the other nostril, if you have one.\n'
          '5. Stay with them until help arrives, even if they wake up. Naloxone can wear off '
          'before the opioid does, and the overdose can come back.\n'
          '\n'
          '## Other ways to stay safe\n'
          '\n'
          '- Take your opioids only as prescribed.\n'
          '- Ask your clinician before you mix opioids with alcohol, sleeping pills, or other '
          'medicines that make you sleepy. The mix can slow your breathing [3].\n'
          '- Keep your medicines locked up and out of reach of children and visitors.\n'
          '- Keep a list of all your medicines. Share it with each clinician and pharmacist '
          'you see.\n'
          '\n'
          '## Questions to ask your clinician\n'
          '\n'
          '- Is my current dose still the right one for me?\n'
          '- If we change it, how slowly will we go?\n'
          '- What should I do if withdrawal or pain gets worse during a change?\n'
          '- Should I keep naloxone at home?\n',
  'show_help_lines': False,
  'related': ['opioid-induced-hyperalgesia', 'getting-help'],
  'references': [('US Food and Drug Administration. FDA Drug Safety Communication, 9 April '
                  '2019: harm reported from sudden discontinuation of opioid pain medicines.',
                  'https://www.fda.gov/drugs/drug-safety-and-availability/fda-identifies-harm-reported-sudden-discontinuation-opioid-pain-medicines-and-requires-label-changes-guide',
                  '2026-11-25'),
                 ('US Department of Health and Human Services. HHS Guide for Clinicians on the '
                  'Appropriate Dosage Reduction or Discontinuation of Long-Term Opioid '
                  'Analgesics. October 2019.',
                  'https://www.hhs.gov/opioids/sites/default/files/2019-10/Dosage_Reduction_Discontinuation.pdf',
                  '2026-11-25'),
                 ('Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice '
                  'Guideline for Prescribing Opioids for Pain — United States, 2022. MMWR '
                  'Recomm Rep 2022;71(RR-3):1-95.',
                  'https://doi.org/10.15585/mmwr.rr7103a1',
                  '2026-11-25')]},
 {'slug': 'pain-care-beyond-opioids',
  'title': 'Pain care beyond opioids',
  'summary': 'Opioids are only one way to treat pain. Learn about a full pain check, a care '
             'team, other medicines, and treatments that are not pills.',
  'body': 'Living with long-term pain is hard. It can wear you down and get in the way of the '
          'things you love. The good news is that there are many ways to treat pain, and '
          'opioids are only one of them. Many people do best with a mix of treatments that '
          'fits their body and their life.\n'
          '\n'
          'If you take opioids now, many of these treatments can be used along with them. Any '
          'change to your opioid dose should be planned with your clinician and made slowly.\n'
          '\n'
          '## Start with a full pain evaluation\n'
          '\n'
          'A pain evaluation is a careful look at your pain and how it affects you. Your '
          'clinician may ask:\n'
          '\n'
          '- where it hurts, and what the pain feels like\n'
          '- when it started, and what makes it better or worse\n'
          '- how it affects your sleep, your mood, your work, and your time with others\n'
          '- which medicines and treatments you have tried, and how they worked\n'
          '- what matters most to you, and what you want to be able to do again\n'
          '\n'
          'They may also examine you or order tests. The goal is to understand what is behind '
          'your pain. Then you can make a plan together that fits you [1].\n'
          '\n'
          '## A team approach\n'
          '\n'
          'Long-term pain touches every part of life. That is why care often works best with a '
          'team of people who each bring different skills [1]. Your team may include:\n'
          '\n'
          '- a doctor or nurse who leads your care\n'
          '- a pain specialist\n'
          '- a physical therapist, who helps you move with less pain\n'
          '- a psychologist or counselor, who helps you cope with pain and stress\n'
          '- a pharmacist, who checks that your medicines are safe together\n'
          '\n'
          'You are the most important member of the team. Your goals guide the plan.\n'
          '\n'
          '## Pain medicines that are not opioids\n'
          '\n'
          'Several kinds of medicine can ease pain without opioids [1] [2].\n'
          '\n'
          '### Common pain relievers\n'
          '\n'
          'Your clinician may suggest acetaminophen, or an NSAID such as ibuprofen. NSAIDs '
          'ease both pain and swelling. For many common kinds of pain, such as back pain or '
          'joint pain, these can work about as well as opioids [1].\n'
          '\n'
          'You can buy these without a prescription, but they still have risks. Too much '
          'acetaminophen can harm the liver. NSAIDs can upset or hurt the stomach. They can '
          'also affect the kidneys, the heart, and blood pressure. Check with your clinician '
          'or pharmacist about which ones are safe for you, and how much you can take.\n'
          '\n'
          '### Medicines that help in other ways\n'
          '\n'
          'Some medicines were first made for other health problems but can also ease pain. '
          'These are sometimes called adjuncts. Examples include some antidepressants and some '
          'seizure medicines, called anticonvulsants. They can be a good fit for nerve pain, '
          'the kind that may burn, tingle, or shoot.\n'
          '\n'
          'If your clinician offers an antidepressant for pain, it does not mean they doubt '
          'your pain. These medicines act on the nerves that carry pain signals. Your pain is '
          'real.\n'
          '\n'
          '## Treatments that are not medicines\n'
          '\n'
          'Many treatments without pills can lower pain and help you do more [1]. Here are '
          'some that may help:\n'
          '\n'
          '| Treatment | What it is |\n'
          '|---|---|\n'
          '| Exercise | Regular movement, like walking, swimming, or stretching, built up a '
          'little at a time |\n'
          '| Physical therapy | A trained therapist shows you exercises and safer ways to move '
          '|\n'
          '| Cognitive behavioral therapy (CBT) | A kind of talk therapy that teaches skills '
          'to handle pain, stress, and poor sleep |\n'
          '| Massage | Hands-on work on muscles to ease tension |\n'
          '| Acupuncture | Very thin needles placed in the skin at certain points |\n'
          '| Mind-body methods | Yoga, tai chi, or meditation, which join movement or focus '
          'with calm breathing |\n'
          '| Relaxation | Slow breathing, or tensing and then relaxing one group of muscles at '
          'a time |\n'
          '\n'
          'Talk therapy for pain does not mean your pain is not real. Pain affects the whole '
          'person. CBT gives you tools to calm your body, sleep better, and get back to things '
          'that pain has taken away.\n'
          '\n'
          '### Tips for getting started\n'
          '\n'
          '- Start small. A short walk counts. You can build up over time.\n'
          '- Give it time. Many of these treatments take a few weeks to help.\n'
          '- Tell your team what helps and what does not. Your plan can change.\n'
          '- If one thing does not work for you, try another. There are many choices.\n'
          '\n'
          '## If you take opioids now\n'
          '\n'
          'Some people who take opioids for a long time become more sensitive to pain [2] [3]. '
          'This is called opioid-induced hyperalgesia, or OIH. It is one reason why a full '
          'pain evaluation and other kinds of pain care matter.\n'
          '\n'
          'If you wonder whether your opioids still help you, talk with your clinician. Please '
          'do not change your dose on your own. Any change should be planned with your '
          'clinician and made slowly [1].\n'
          '\n'
          '## Questions to ask your clinician\n'
          '\n'
          '- What do you think is causing my pain?\n'
          '- Which treatments, besides opioids, might help me?\n'
          '- Can I see a physical therapist, or a psychologist who works with pain?\n'
          '- Which pain relievers are safe for me, and how much can I take?\n'
          '- How will we know if my plan is working?\n',
  'show_help_lines': False,
  'related': ['opioid-induced-hyperalgesia', 'changing-opioid-doses-safely'],
  'references': [('Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice '
                  'Guideline for Prescribing Opioids for Pain — United States, 2022. MMWR '
                  'Recomm Rep 2022;71(RR-3):1-95.',
                  'https://doi.org/10.15585/mmwr.rr7103a1',
                  '2026-11-25'),
                 ('Lee M, Silverman S, Hansen H, Patel V, Manchikanti L. A comprehensive '
                  'review of opioid-induced hyperalgesia. Pain Physician 2011;14:145-161.',
                  'https://pubmed.ncbi.nlm.nih.gov/21412369/',
                  '2026-11-25'),
                 ('When medications make pain worse: opioid-induced hyperalgesia. The '
                  'Consultant Pharmacist, August 2011.',
                  'https://pubmed.ncbi.nlm.nih.gov/21840817/',
                  '2026-11-25')]},
 {'slug': 'getting-help',
  'title': 'Getting help',
  'summary': 'When and how to get help fast: emergencies, overdose, thoughts of self-harm, and '
             'confidential support with opioid use.',
  'body': 'If you or someone near you needs help now, use the numbers on this page. You do not '
          'have to handle this alone.\n'
          '\n'
          '## Get emergency help now if\n'
          '\n'
          'Call the emergency number on this page right away if:\n'
          '\n'
          '- someone cannot be woken up, is breathing very slowly or not at all, or has blue '
          'or gray lips\n'
          '- someone who takes opioids is much sleepier than usual, confused, or slurring '
          'their words\n'
          '- you have new weakness in an arm or a leg\n'
          '- you suddenly cannot control your bladder or bowels\n'
          '- you have new numbness in your groin, your bottom, or the inside of your thighs\n'
          '- you have chest pain or trouble breathing\n'
          '\n'
          'Do not wait to see if things get better.\n'
          '\n'
          '## If you think someone has overdosed\n'
          '\n'
          '1. Call the emergency number on this page, or ask someone else to call.\n'
          '2. Give naloxone if you have it. It is a nose spray that can reverse an opioid '
          'overdose [1].\n'
          '3. Stay with the person. If they are breathing, roll them onto their side.\n'
          '4. If they do not wake up in two or three minutes, give a second dose if you have '
          'one.\n'
          '5. Stay until help arrives, even if they wake up. Naloxone can wear off before the '
          'opioid does.\n'
          '\n'
          '## If you are thinking about hurting yourself\n'
          '\n'
          'If you are thinking about ending your life right now, please call the emergency '
          'number or the crisis line on this page now. If you can, stay near someone you trust '
          'until help comes.\n'
          '\n'
          'If you had thoughts like these in the past few weeks, but not right now, please '
          'reach out today. Call the crisis line on this page, or talk to your clinician '
          'today.\n'
          '\n'
          'Pain, and fast changes to pain medicine, can bring on very dark feelings [2]. This '
          'happens to many people. It is not your fault, and with help, these feelings can get '
          'better.\n'
          '\n'
          '## Get medical help today if\n'
          '\n'
          '- you have a fever along with your pain\n'
          '- you have had a fall or another injury\n'
          '- you had thoughts of hurting yourself in the past few weeks\n'
          '\n'
          'Contact your clinician today. If you cannot reach them, use a health advice line on '
          'this page if there is one, or go to an urgent care service.\n'
          '\n'
          '## Confidential help with opioid use\n'
          '\n'
          'Some people find it hard to control how much opioid they take, or they have strong '
          'cravings. If this is you, you are not alone, and help works. You deserve care, not '
          'blame.\n'
          '\n'
          '- Use the confidential help line on this page, if one is listed for your country. '
          'It can tell you about support near you. You can also talk to your clinician or '
          'pharmacist.\n'
          '- Tell your prescriber if you have taken more than prescribed. Taking more raises '
          'the risk of an overdose.\n'
          '- Keep naloxone at home, and show the people you live with where it is.\n'
          '\n'
          '## Other worries about your pain\n'
          '\n'
          'If your pain is changing or is hard to control, but none of the signs above apply, '
          'book a visit with your clinician soon. Until then, please do not change your opioid '
          'dose on your own. Any change should be planned with your clinician and made '
          'slowly.\n',
  'show_help_lines': True,
  'related': ['changing-opioid-doses-safely', 'opioid-induced-hyperalgesia'],
  'references': [('Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice '
                  'Guideline for Prescribing Opioids for Pain — United States, 2022. MMWR '
                  'Recomm Rep 2022;71(RR-3):1-95.',
                  'https://doi.org/10.15585/mmwr.rr7103a1',
                  '2026-11-25'),
                 ('US Food and Drug Administration. FDA Drug Safety Communication, 9 April '
                  '2019: harm reported from sudden discontinuation of opioid pain medicines.',
                  'https://www.fda.gov/drugs/drug-safety-and-availability/fda-identifies-harm-reported-sudden-discontinuation-opioid-pain-medicines-and-requires-label-changes-guide',
                  '2026-11-25')]}]


def forwards(apps, schema_editor):
    Article = apps.get_model("education", "Article")
    Reference = apps.get_model("education", "Reference")
    now = timezone.now()
    by_slug = {}
    for data in ARTICLES:
        rendered = render_markdown(data["body"])
        article = Article.objects.create(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            body_html=rendered.html,
            toc=rendered.toc,
            status="published",
            published_at=now,
            show_help_lines=data["show_help_lines"],
        )
        by_slug[data["slug"]] = article
        Reference.objects.bulk_create(
            Reference(
                article=article,
                order=number,
                citation=citation,
                url=url,
                accessed_on=datetime.date.fromisoformat(accessed),
            )
            for number, (citation, url, accessed) in enumerate(data["references"], start=1)
        )
    for data in ARTICLES:
        by_slug[data["slug"]].related.set(by_slug[slug] for slug in data["related"])
    _first_history(apps, by_slug.values(), now)


def _first_history(apps, articles, now):
    """A first history record for each article, so an editor's first change shows a diff."""
    HistoricalArticle = apps.get_model("education", "HistoricalArticle")
    copied = [
        field.attname
        for field in HistoricalArticle._meta.fields
        if not field.name.startswith("history_")
    ]
    HistoricalArticle.objects.bulk_create(
        HistoricalArticle(
            **{name: getattr(article, name) for name in copied},
            history_date=now,
            history_type="+",
            history_change_reason="First version, written for this project",
        )
        for article in articles
    )


def backwards(apps, schema_editor):
    slugs = [data["slug"] for data in ARTICLES]
    apps.get_model("education", "Article").objects.filter(slug__in=slugs).delete()
    apps.get_model("education", "HistoricalArticle").objects.filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
