"""The journey's plain words (services/journey/domain/patient.py) as the portal's messages.

The journey's patient view speaks English sentences; the portal shows them in the reader's language
by looking each up in the catalogs. They are listed here, marked, so that extraction puts them in
the catalogs (a unit test fails when the journey says one this list lacks). YOUR_TURN are the ones
that ask the patient to do something: the portal shows them as what the clinic waits for from them.
"""
from services.gateway.adapters.portal import N_

STAGES = (
    N_("We have your enquiry"), N_("Your enquiry is on hold"), N_("You are on our waiting list"),
    N_("Getting to know you"), N_("You have been accepted for treatment"), N_("Planning your surgery"),
    N_("Your surgery is planned"), N_("In hospital after your surgery"), N_("Rehabilitation"),
    N_("Check-ups at home"), N_("Information sent"), N_("Your second opinion"),
    N_("Treatment is not possible at this time"), N_("Your treatment was cancelled"),
    N_("Your data is being erased"), N_("Your second opinion is complete"),
    N_("You withdrew your consent: we have stopped"),
)

YOUR_TURN = (
    N_("Your enquiry is on hold until you have stopped smoking. Tell us when you have stopped."),
    N_("Please fill in the questionnaire we sent you."),
    N_("Please answer a few questions about your health, so that we can see "
       "whether the treatment could suit you."),
    N_("Please pay the deposit (half of the price) so that we can plan your surgery."),
    N_("Please pay the rest of the price before your surgery."),
    N_("Come to the hospital for a medical check the day before your surgery."),
    N_("Keep building up the load on your implant with your daily exercises."),
    N_("The doctor advised an adjustment of your socket. Please take this advice to your own prosthetist."),
)

CLINIC_TURN = (
    N_("We are reading your enquiry. You will hear from us soon."),
    N_("The clinic does not treat your amputation level yet. We will contact you when it can."),
    N_("We will invite you to the osseointegration outpatient clinic."),
    N_("Next is a consultation where we explain the treatment to you."),
    N_("A psychologist will call you for a telephone appointment."),
    N_("You will meet the specialist for an introduction and a first assessment."),
    N_("Some more examinations may be needed, such as an X-ray or a blood test."),
    N_("The specialist team is deciding about your treatment. We will let you know."),
    N_("We will contact you to book your second-opinion appointment in Amsterdam."),
    N_("Your second-opinion appointment at our partner clinic in Amsterdam is booked. "
       "You find the date under your appointments."),
    N_("Thank you for coming to your second-opinion appointment. We will send you the doctor's advice soon."),
    N_("You will receive the price for your treatment."),
    N_("We are finding the best date for your surgery."),
    N_("Your travel plans need a change. Our travel desk is arranging it."),
    N_("We are booking your flights and your hotel."),
    N_("Your bank has questioned one of your payments. Our finance team will contact you about it."),
    N_("You are ready for your surgery."),
    N_("We will find a new date for your surgery."),
    N_("You are recovering on the nursing ward."),
    N_("Your rehabilitation programme is being prepared."),
    N_("Your physiotherapist will talk with you about your exercises."),
    N_("Your prosthesis will be fitted next."),
    N_("You are practising walking with your prosthesis."),
    N_("Your rehabilitation will take a few days longer than planned. "
       "Our travel desk will change your flight home."),
    N_("The specialist is looking at your latest images."),
    N_("Our team is following up on what you told us."),
    N_("We are planning your check-ups from home."),
    N_("Your next check-up is by video call or telephone (see your appointments)."),
    N_("The doctor advised you to find out whether osseointegration suits you. We have started that enquiry "
       "for you; we will ask you a few questions about your health."),
    N_("The doctor found that no further treatment is needed."),
    N_("You have withdrawn your request. You are welcome to ask again at any time."),
)

DATES = (
    N_("Deposit due"), N_("Rest of the price due"), N_("Arrive in the Netherlands (at the latest)"),
    N_("Medical check at the hospital"), N_("Your surgery"), N_("Your flight to the Netherlands"),
    N_("Your flight home"), N_("Rehabilitation starts"), N_("Rehabilitation planned to end"),
    N_("Check-up by video call"), N_("Check-up by telephone"), N_("Check-up by video call or telephone"),
    N_("Your second-opinion appointment at the partner clinic in Amsterdam"),
)
